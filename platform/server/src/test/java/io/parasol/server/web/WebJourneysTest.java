package io.parasol.server.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.parasol.server.Chromium;
import io.parasol.server.Fixtures;
import io.parasol.server.PluginJars;
import io.parasol.server.monitoring.ProbeSuiteTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web app's journeys in a real browser: Debian's Chromium, driven through its chromedriver.
 * Each journey leaves screenshots in {@code target/web-journeys/}. Skipped, with a message, where
 * Chromium or chromedriver is not installed ({@code apt-get install chromium chromium-driver}).
 */
@QuarkusTest
class WebJourneysTest {

  static final Path SHOTS = Path.of("target/web-journeys");
  static final Path DOWNLOADS = Path.of("target/web-journeys/downloads").toAbsolutePath();

  @TestHTTPResource("/")
  URL base;

  WebDriver browser;
  String journey;
  int shot;

  @BeforeAll
  static void needsChromium() throws IOException {
    Assumptions.assumeTrue(Chromium.installed(), Chromium.missing());
    Files.createDirectories(DOWNLOADS);
  }

  @BeforeEach
  void openBrowser(TestInfo info) throws IOException {
    Fixtures.heatTransferPublished();
    browser = Chromium.start(DOWNLOADS);
    journey = info.getTestMethod().orElseThrow().getName();
    shot = 0;
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      screenshot("last");
      browser.quit();
    }
  }

  @Test
  void anEngineerLaunchesHeatTransferFromItsFormWatchesItFinishAndDownloadsTheHeatMap()
      throws Exception {
    signIn("alice");
    browser.findElement(By.cssSelector("[data-app='heat-transfer'] h2 a")).click();
    waitFor(By.id("launch-form"));
    screenshot("app-page");

    // Conditional fields: the custom material's properties show only for "custom".
    WebElement conductivity = browser.findElement(By.cssSelector("[data-field='conductivity']"));
    assertFalse(conductivity.isDisplayed(), "conductivity is hidden unless the material is custom");
    new Select(browser.findElement(By.id("f-material"))).selectByValue("custom");
    assertTrue(conductivity.isDisplayed());
    new Select(browser.findElement(By.id("f-material"))).selectByValue("copper");

    type("f-nx", "21");
    type("f-ny", "21");
    type("f-duration", "5");
    type("f-cores", "1");

    browser.findElement(By.id("quote-button")).click();
    wait(Duration.ofSeconds(20))
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("quote-panel")));
    assertTrue(
        browser.findElement(By.id("quote-expected")).getText().matches("[0-9.]+ \\w+"),
        browser.findElement(By.id("quote-expected")).getText());
    assertFalse(
        browser.findElements(By.cssSelector("#quote-choices tbody tr")).isEmpty(),
        "the quote lists the candidate partitions");
    screenshot("quote");

    browser.findElement(By.id("launch-button")).click();
    wait(Duration.ofSeconds(20)).until(ExpectedConditions.urlMatches("/ui/runs/[0-9a-f-]{36}$"));
    String runId = browser.getCurrentUrl().replaceAll(".*/ui/runs/", "");
    screenshot("run-started");

    wait(Duration.ofSeconds(120))
        .until(ExpectedConditions.textToBe(By.id("run-state"), "SUCCEEDED"));
    WebElement heatmap =
        wait(Duration.ofSeconds(20))
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-output='heatmap.png']")));
    assertTrue(
        browser.findElement(By.id("run-log")).getText().length() > 0, "the log tail is shown");
    heatmap.findElement(By.tagName("button")).click();
    WebElement image =
        wait(Duration.ofSeconds(10))
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#output-preview img")));
    wait(Duration.ofSeconds(10))
        .until(
            d ->
                (Boolean)
                    ((org.openqa.selenium.JavascriptExecutor) d)
                        .executeScript(
                            "return arguments[0].complete && arguments[0].naturalWidth > 0",
                            image));
    screenshot("finished-with-preview");

    Path downloaded = DOWNLOADS.resolve("heatmap.png");
    Files.deleteIfExists(downloaded);
    heatmap.findElement(By.tagName("a")).click();
    Api.poll(
        Duration.ofSeconds(20),
        () -> {
          try {
            return Files.exists(downloaded) && Files.size(downloaded) > 8;
          } catch (IOException e) {
            return false;
          }
        },
        ok -> ok,
        "the heat map to be downloaded");
    byte[] magic = Arrays.copyOf(Files.readAllBytes(downloaded), 8);
    assertArrayEquals(
        new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, magic, "a PNG file");

    // The CSV output previews as a table.
    browser.findElement(By.cssSelector("[data-output='temperature.csv'] button")).click();
    WebElement csv =
        wait(Duration.ofSeconds(10))
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#output-preview table.csv")));
    assertTrue(csv.findElements(By.tagName("tr")).size() > 10, "rows of the temperature field");

    // Run it again with the same inputs, then cancel that run.
    browser.findElement(By.id("rerun-button")).click();
    wait(Duration.ofSeconds(20))
        .until(
            d ->
                d.getCurrentUrl().matches(".*/ui/runs/[0-9a-f-]{36}$")
                    && !d.getCurrentUrl().endsWith(runId));
    String again = browser.getCurrentUrl().replaceAll(".*/ui/runs/", "");
    assertEquals(
        Api.as("alice").get("/api/v1/runs/" + runId).jsonPath().getMap("inputs"),
        Api.as("alice").get("/api/v1/runs/" + again).jsonPath().getMap("inputs"),
        "the same inputs");
    WebElement cancel = browser.findElement(By.id("cancel-button"));
    if (cancel.isDisplayed()) {
      cancel.click();
    }
    wait(Duration.ofSeconds(60))
        .until(
            d -> {
              String state = d.findElement(By.id("run-state")).getText();
              return state.equals("CANCELLED") || state.equals("SUCCEEDED");
            });
    screenshot("rerun-cancelled");

    // The run list shows both; the account page shows the balance, holds and the ledger.
    browser.get(url("/ui/runs"));
    assertFalse(browser.findElements(By.cssSelector("[data-run='" + runId + "']")).isEmpty());
    assertFalse(browser.findElements(By.cssSelector("[data-run='" + again + "']")).isEmpty());
    screenshot("run-list");
    browser.get(url("/ui/account"));
    assertTrue(
        browser.findElement(By.id("account-balance")).getText().matches("-?[0-9.]+ [A-Z]{3}"),
        browser.findElement(By.id("account-balance")).getText());
    assertTrue(browser.getPageSource().contains(runId), "the run's settlement is in the ledger");
    screenshot("account");
  }

  @Test
  void pagesFitATabletAndEveryControlHasALabel() {
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
    signIn("alice");
    for (String page : List.of("/ui/apps", "/ui/apps/heat-transfer", "/ui/runs", "/ui/account")) {
      browser.get(url(page));
      Object overflow =
          ((org.openqa.selenium.JavascriptExecutor) browser)
              .executeScript(
                  "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
      assertEquals(false, overflow, page + " scrolls sideways on a tablet");
      Object unlabelled =
          ((org.openqa.selenium.JavascriptExecutor) browser)
              .executeScript(
                  "return Array.from(document.querySelectorAll('input, select, textarea'))"
                      + ".filter(e => e.type !== 'hidden' && !e.closest('[hidden]'))"
                      + ".filter(e => !(e.id && document.querySelector('label[for=\"' + e.id + '\"]'))"
                      + " && !e.getAttribute('aria-label')).map(e => e.id || e.name)");
      assertEquals(List.of(), unlabelled, page + ": controls without a label");
      screenshot("tablet" + page.replace('/', '-'));
    }
    // The keyboard: the skip link comes first and leads to the content.
    browser.get(url("/ui/apps"));
    browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
    WebElement first = browser.switchTo().activeElement();
    assertEquals("skip", first.getAttribute("class"));
    first.sendKeys(org.openqa.selenium.Keys.ENTER);
    assertEquals("main", browser.switchTo().activeElement().getAttribute("id"));
  }

  @Test
  void anIsvUploadsAndSubmitsAPluginAndAnAdminApprovesItIntoTheCatalog(@TempDir Path tmp)
      throws Exception {
    Fixtures.misbehavingAppPublished();
    String version = "1.5." + System.currentTimeMillis() % 1_000_000;
    Path jar = PluginJars.variant(tmp, "ok", version, Map.of());

    signIn("victor");
    browser.get(url("/ui/vendor"));
    browser.findElement(By.id("plugin-file")).sendKeys(jar.toAbsolutePath().toString());
    By verified = By.xpath("//tr[@data-status='VERIFIED'][contains(., '" + version + "')]");
    WebElement row =
        wait(Duration.ofSeconds(90)).until(ExpectedConditions.presenceOfElementLocated(verified));
    row.findElement(By.tagName("summary")).click();
    assertTrue(row.getText().contains("self-test"), row.getText());
    screenshot("verified");
    row.findElement(By.cssSelector("[data-submit-plugin]")).click();
    wait(Duration.ofSeconds(20))
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.xpath("//tr[@data-status='IN_REVIEW'][contains(., '" + version + "')]")));
    screenshot("submitted");

    browser.manage().deleteAllCookies();
    signIn("admin");
    browser.get(url("/ui/admin/review"));
    By mine = By.xpath("//article[@data-app='misbehaving-app'][contains(., '" + version + "')]");
    WebElement review = waitFor(mine);
    assertTrue(review.getText().contains("→ " + version), "what changed: " + review.getText());
    screenshot("review");
    review.findElement(By.cssSelector("[data-approve]")).click();
    wait(Duration.ofSeconds(20)).until(ExpectedConditions.invisibilityOfElementLocated(mine));

    browser.get(url("/ui/apps/misbehaving-app?version=" + version));
    assertTrue(
        browser.findElement(By.cssSelector(".app-head .meta")).getText().contains(version),
        "the approved version has its page in the catalog");
    browser.get(url("/ui/apps?q=misbehaving"));
    assertFalse(browser.findElements(By.cssSelector("[data-app='misbehaving-app']")).isEmpty());
    screenshot("in-catalog");
  }

  @Test
  void anAdminSeesClustersPricesAccountsFinanceAndTheAuditLog() {
    signIn("admin");
    for (String page : List.of("clusters", "prices", "accounts", "finance", "audit")) {
      browser.get(url("/ui/admin/" + page));
      assertTrue(browser.findElements(By.cssSelector(".problem")).isEmpty(), page);
      screenshot(page);
    }
    browser.get(url("/ui/admin/accounts"));
    WebElement acme = browser.findElement(By.cssSelector("[data-account='acme']"));
    String before = acme.findElement(By.className("balance")).getText();
    acme.findElement(By.tagName("input")).sendKeys("12.5");
    acme.findElement(By.tagName("button")).click();
    wait(Duration.ofSeconds(20))
        .until(
            d ->
                !d.findElement(By.cssSelector("[data-account='acme'] .balance"))
                    .getText()
                    .equals(before));
    browser.get(url("/ui/admin/audit"));
    assertTrue(browser.getPageSource().contains("account.top-up"), "the top-up is audited");
    // An engineer is not an admin.
    browser.manage().deleteAllCookies();
    signIn("alice");
    browser.get(url("/ui/admin/accounts"));
    assertTrue(browser.findElements(By.cssSelector("[data-account]")).isEmpty());
    assertEquals(
        "403", browser.findElement(By.cssSelector(".problem")).getAttribute("data-status"));
  }

  @Test
  void theRunPageShowsMetricChartsAndFindingsWhileTheRunGoes() {
    ProbeSuiteTest.probePublished();
    String run = ProbeSuiteTest.probe("sleep", 12, 100);
    signIn("alice");
    browser.get(url("/ui/runs/" + run));
    // A sleeping solver on two cores: monitoring samples it every second and finds the cores idle.
    wait(Duration.ofSeconds(40))
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("run-findings"), "idle_cores"));
    wait(Duration.ofSeconds(20))
        .until(d -> !d.findElements(By.cssSelector("#run-metrics figure svg path")).isEmpty());
    screenshot("metrics-and-findings");
    browser.findElement(By.id("cancel-button")).click();
    wait(Duration.ofSeconds(30))
        .until(ExpectedConditions.textToBe(By.id("run-state"), "CANCELLED"));
  }

  @Test
  void anInvalidValueShowsTheServersMessageAtTheField() {
    signIn("alice");
    browser.get(url("/ui/apps/heat-transfer"));
    waitFor(By.id("launch-form"));
    type("f-nx", "1000");
    browser.findElement(By.id("launch-button")).click();
    WebElement message =
        wait(Duration.ofSeconds(20))
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("e-nx")));
    assertEquals("must be at most 401", message.getText());
    assertEquals("true", browser.findElement(By.id("f-nx")).getAttribute("aria-invalid"));
    assertEquals(
        browser.findElement(By.id("f-nx")),
        browser.switchTo().activeElement(),
        "the first wrong field has the focus");
    assertTrue(browser.getCurrentUrl().endsWith("/ui/apps/heat-transfer"), "no run was made");
    screenshot("field-message");
  }

  @Test
  void anotherOrgsRunShowsNotFound() {
    String alicesRun = tinyRun();
    signIn("bob");
    browser.get(url("/ui/runs/" + alicesRun));
    assertEquals("Not found", browser.findElement(By.tagName("h1")).getText());
    assertFalse(browser.getPageSource().contains("heat-transfer"), "nothing of the run leaks");
    screenshot("not-found");
  }

  @Test
  void theCatalogFiltersAndSpeaksChinese() {
    String run = tinyRun();
    signIn("alice");
    new Select(browser.findElement(By.id("accelerator"))).selectByValue("gpu");
    browser.findElement(By.cssSelector("form.filters button")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("accelerator=gpu"));
    List<WebElement> cards = browser.findElements(By.cssSelector(".card"));
    assertEquals(1, cards.size(), "only the GPU app");
    assertEquals("heat-transfer-gpu", cards.get(0).getAttribute("data-app"));

    browser.findElement(By.cssSelector("[data-lang-switch]")).click();
    wait(Duration.ofSeconds(10))
        .until(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "zh-CN"));
    assertEquals("应用目录", browser.findElement(By.tagName("h1")).getText());
    assertTrue(browser.getCurrentUrl().contains("accelerator=gpu"), "the same page, in Chinese");
    screenshot("chinese");
    browser.get(url("/ui/runs"));
    WebElement state = browser.findElement(By.cssSelector("[data-run='" + run + "'] .state"));
    assertTrue(
        List.of("排队中", "已调度", "运行中", "已成功", "失败", "已取消").contains(state.getText()),
        "the run's state in Chinese: " + state.getText());
    browser.findElement(By.cssSelector("[data-lang-switch]")).click();
    wait(Duration.ofSeconds(10))
        .until(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "en"));
  }

  @Test
  void aWrongPasswordIsRefusedAndPagesNeedASignIn() {
    browser.get(url("/ui/runs"));
    assertTrue(browser.getCurrentUrl().contains("/ui/sign-in"), browser.getCurrentUrl());
    type("j_username", "alice");
    type("j_password", "wrong");
    browser.findElement(By.cssSelector(".sign-in button")).click();
    waitFor(By.id("sign-in-error"));
    screenshot("sign-in-refused");
  }

  // ---------------------------------------------------------------- helpers

  /** A heat-transfer run of alice's that takes about a second. */
  private static String tinyRun() {
    return Api.launch(
        "alice",
        Map.of(
            "appId",
            "heat-transfer",
            "inputs",
            Map.of("nx", 11, "ny", 11, "duration", 1, "cores", 1)));
  }

  private void signIn(String user) {
    browser.get(url("/ui/sign-in"));
    type("j_username", user);
    type("j_password", user);
    browser.findElement(By.cssSelector(".sign-in button")).click();
    wait(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/ui/apps"));
  }

  private void type(String id, String value) {
    WebElement input = browser.findElement(By.id(id));
    input.clear();
    input.sendKeys(value);
  }

  private WebElement waitFor(By by) {
    return wait(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Waits through page reloads: an element of the page before may go stale meanwhile. */
  private WebDriverWait wait(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(browser, timeout);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private String url(String path) {
    return base.toString().replaceAll("/$", "") + path;
  }

  private void screenshot(String name) {
    try {
      Files.createDirectories(SHOTS);
      byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
      Files.write(SHOTS.resolve(journey + "-" + (++shot) + "-" + name + ".png"), png);
    } catch (IOException | RuntimeException e) {
      // a screenshot is evidence, not the test
    }
  }
}
