package io.parasol.server.billing;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;

/** Which partitions stand in which data centre (site), for sharing IDC rent. */
@ConfigMapping(prefix = "parasol.finance")
public interface FinanceConfig {

  /** Partitions by site. */
  Map<String, List<String>> sites();
}
