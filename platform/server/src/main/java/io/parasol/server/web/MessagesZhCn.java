package io.parasol.server.web;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.Message;

/** The web app's text in Simplified Chinese. */
@Localized("zh-CN")
public interface MessagesZhCn extends Messages {

  @Override
  @Message("跳到正文")
  String skip();

  @Override
  @Message("应用目录")
  String navCatalog();

  @Override
  @Message("运行")
  String navRuns();

  @Override
  @Message("账户")
  String navAccount();

  @Override
  @Message("退出登录")
  String signOut();

  @Override
  @Message("登录")
  String signIn();

  @Override
  @Message("用户名")
  String userName();

  @Override
  @Message("密码")
  String password();

  @Override
  @Message("用户名或密码错误。")
  String signInFailed();

  @Override
  @Message("搜索应用")
  String search();

  @Override
  @Message("行业")
  String industry();

  @Override
  @Message("标签")
  String tag();

  @Override
  @Message("加速器")
  String accelerator();

  @Override
  @Message("不限")
  String any();

  @Override
  @Message("无（仅 CPU）")
  String acceleratorNone();

  @Override
  @Message("GPU")
  String acceleratorGpu();

  @Override
  @Message("FPGA")
  String acceleratorFpga();

  @Override
  @Message("筛选")
  String filter();

  @Override
  @Message("共 {count} 个应用")
  String appCount(long count);

  @Override
  @Message("没有符合条件的应用。")
  String noApps();

  @Override
  @Message("提供方：{vendor}")
  String byVendor(String vendor);

  @Override
  @Message("版本")
  String version();

  @Override
  @Message("所有版本")
  String versions();

  @Override
  @Message("提供方")
  String vendor();

  @Override
  @Message("许可")
  String licence();

  @Override
  @Message("核数")
  String cores();

  @Override
  @Message("启动")
  String launch();

  @Override
  @Message("启动运行")
  String launchTitle();

  @Override
  @Message("运行设置")
  String runSettings();

  @Override
  @Message("只有工程师可以启动运行。")
  String engineersOnly();

  @Override
  @Message("获取报价")
  String getQuote();

  @Override
  @Message("报价")
  String quote();

  @Override
  @Message("预计费用")
  String expectedCost();

  @Override
  @Message("最多冻结")
  String maximumCost();

  @Override
  @Message("分区")
  String partition();

  @Override
  @Message("费用")
  String cost();

  @Override
  @Message("预计开始")
  String predictedStart();

  @Override
  @Message("预计完成")
  String predictedFinish();

  @Override
  @Message("已选")
  String chosen();

  @Override
  @Message("请更正下方标出的字段。")
  String fixFields();

  @Override
  @Message("上传")
  String upload();

  @Override
  @Message("正在上传…")
  String uploading();

  @Override
  @Message("已上传 {name}")
  String uploaded(String name);

  @Override
  @Message("或从工作区选择文件")
  String orWorkspace();

  @Override
  @Message("必填")
  String required();

  @Override
  @Message("范围 {min} 至 {max}")
  String range(String min, String max);

  @Override
  @Message("状态")
  String state();

  @Override
  @Message("应用")
  String app();

  @Override
  @Message("创建时间")
  String created();

  @Override
  @Message("结束时间")
  String finished();

  @Override
  @Message("全部状态")
  String allStates();

  @Override
  @Message("还没有运行。")
  String noRuns();

  @Override
  @Message("进度")
  String progress();

  @Override
  @Message("日志")
  String log();

  @Override
  @Message("输出文件")
  String outputs();

  @Override
  @Message("下载")
  String download();

  @Override
  @Message("预览")
  String preview();

  @Override
  @Message("取消运行")
  String cancel();

  @Override
  @Message("用相同输入再次运行")
  String rerun();

  @Override
  @Message("输入")
  String inputs();

  @Override
  @Message("指标")
  String metrics();

  @Override
  @Message("诊断发现")
  String findings();

  @Override
  @Message("没有诊断发现。")
  String noFindings();

  @Override
  @Message("调度")
  String placement();

  @Override
  @Message("冻结金额")
  String hold();

  @Override
  @Message("余额")
  String balance();

  @Override
  @Message("冻结")
  String holds();

  @Override
  @Message("可用")
  String available();

  @Override
  @Message("信用额度")
  String creditLimit();

  @Override
  @Message("账目")
  String ledger();

  @Override
  @Message("时间")
  String when();

  @Override
  @Message("类型")
  String kind();

  @Override
  @Message("备注")
  String memo();

  @Override
  @Message("金额")
  String amount();

  @Override
  @Message("未找到")
  String notFound();

  @Override
  @Message("出错了")
  String error();

  @Override
  @Message("返回应用目录")
  String backToCatalog();

  @Override
  @Message("上一页")
  String previous();

  @Override
  @Message("下一页")
  String next();

  @Override
  @Message("发布")
  String navPublish();

  @Override
  @Message("审核")
  String navReview();

  @Override
  @Message("管理")
  String navAdmin();

  @Override
  @Message("上传插件")
  String uploadPlugin();

  @Override
  @Message("将插件 jar 拖放到这里，或选择文件")
  String dropHere();

  @Override
  @Message("选择 jar 文件")
  String chooseJar();

  @Override
  @Message("您的应用")
  String yourListings();

  @Override
  @Message("状态")
  String status();

  @Override
  @Message("原因")
  String reason();

  @Override
  @Message("验证报告")
  String report();

  @Override
  @Message("通过")
  String passed();

  @Override
  @Message("未通过")
  String failed();

  @Override
  @Message("提交审核")
  String submit();

  @Override
  @Message("还没有应用。")
  String noListings();

  @Override
  @Message("用量与收入分成")
  String usage();

  @Override
  @Message("期间")
  String period();

  @Override
  @Message("运行次数")
  String runsCount();

  @Override
  @Message("您的分成")
  String revenueShare();

  @Override
  @Message("合计")
  String total();

  @Override
  @Message("审核队列")
  String reviewQueue();

  @Override
  @Message("没有待审核的应用。")
  String noReviews();

  @Override
  @Message("变更内容")
  String changes();

  @Override
  @Message("表单")
  String form();

  @Override
  @Message("批准")
  String approve();

  @Override
  @Message("拒绝")
  String reject();

  @Override
  @Message("给提供方的原因")
  String rejectReason();

  @Override
  @Message("集群与分区")
  String clusters();

  @Override
  @Message("区域")
  String region();

  @Override
  @Message("后端")
  String backend();

  @Override
  @Message("健康状态")
  String health();

  @Override
  @Message("节点")
  String nodes();

  @Override
  @Message("价格表")
  String priceBook();

  @Override
  @Message("资源")
  String resource();

  @Override
  @Message("单价")
  String unitPrice();

  @Override
  @Message("生效自")
  String since();

  @Override
  @Message("许可费")
  String licenceFees();

  @Override
  @Message("账户")
  String accounts();

  @Override
  @Message("充值")
  String topUp();

  @Override
  @Message("财务")
  String finance();

  @Override
  @Message("下载 CSV")
  String downloadCsv();

  @Override
  @Message("收入")
  String revenue();

  @Override
  @Message("审计日志")
  String auditLog();

  @Override
  @Message("操作人")
  String actor();

  @Override
  @Message("操作")
  String action();

  @Override
  @Message("对象")
  String target();

  @Override
  @Message("排队中")
  String stateQueued();

  @Override
  @Message("已调度")
  String stateScheduled();

  @Override
  @Message("运行中")
  String stateRunning();

  @Override
  @Message("已成功")
  String stateSucceeded();

  @Override
  @Message("失败")
  String stateFailed();

  @Override
  @Message("已取消")
  String stateCancelled();

  @Override
  @Message("已超时")
  String stateTimedOut();

  @Override
  @Message("验证中")
  String stateVerifying();

  @Override
  @Message("已验证")
  String stateVerified();

  @Override
  @Message("验证未通过")
  String stateVerificationFailed();

  @Override
  @Message("审核中")
  String stateInReview();

  @Override
  @Message("已发布")
  String statePublished();

  @Override
  @Message("已拒绝")
  String stateRejected();

  @Override
  @Message("已下架")
  String stateUnlisted();
}
