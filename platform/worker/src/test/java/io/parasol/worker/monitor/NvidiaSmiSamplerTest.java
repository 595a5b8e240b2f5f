package io.parasol.worker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.protocol.MetricFrame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU sampling on {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits} output in the
 * tool's documented format (one line per device; {@code [N/A]} where a field is not supported).
 */
class NvidiaSmiSamplerTest {

  static String recorded(String name) throws IOException {
    try (InputStream in = NvidiaSmiSamplerTest.class.getResourceAsStream("/nvidia-smi/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void twoDevicesOneIdle() throws IOException {
    Map<String, Double> v = NvidiaSmiSampler.parse(recorded("two-h100.csv"));
    assertEquals(0.485, v.get(MetricFrame.GPU_UTILISATION), 1e-9);
    assertEquals(0.0, v.get(MetricFrame.GPU_UTILISATION_MIN));
    assertEquals((61234.0 + 4) * 1024 * 1024, v.get(MetricFrame.GPU_MEMORY_USED));
    assertEquals(2 * 81559.0 * 1024 * 1024, v.get(MetricFrame.GPU_MEMORY_TOTAL));
    assertEquals(583.44, v.get(MetricFrame.GPU_POWER), 1e-9);
  }

  @Test
  void anUnsupportedFieldIsLeftOutNotInvented() throws IOException {
    Map<String, Double> v = NvidiaSmiSampler.parse(recorded("not-supported.csv"));
    assertEquals(0.35, v.get(MetricFrame.GPU_UTILISATION), 1e-9);
    assertFalse(v.containsKey(MetricFrame.GPU_POWER));
  }

  @Test
  void garbageIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> NvidiaSmiSampler.parse("no devices here"));
    assertTrue(NvidiaSmiSampler.parse("").isEmpty());
  }

  @Test
  void runsTheCommandAndReportsAFailingOneAsAnError(@TempDir Path dir) throws Exception {
    Path fake = dir.resolve("nvidia-smi");
    Files.writeString(fake, "#!/bin/sh\ncat <<'OUT'\n" + recorded("two-h100.csv") + "OUT\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    NvidiaSmiSampler sampler = new NvidiaSmiSampler(fake.toString(), "0,1");
    assertTrue(sampler.applies("GPU"));
    assertFalse(sampler.applies(null));
    assertEquals(0.485, sampler.sample().get(MetricFrame.GPU_UTILISATION), 1e-9);

    Path broken = dir.resolve("broken");
    Files.writeString(broken, "#!/bin/sh\necho 'NVIDIA-SMI has failed' ; exit 9\n");
    Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
    assertThrows(IOException.class, () -> new NvidiaSmiSampler(broken.toString(), null).sample());
  }

  @Test
  void theFpgaCommandSamplerReadsNameValueLines() {
    Map<String, Double> v =
        CommandSampler.parse(
            "fpga_utilisation 0.42\nfpga_utilisation_min 0\nsomething_else 7\nfpga_power NaN\n",
            java.util.Set.of(MetricFrame.FPGA_UTILISATION, MetricFrame.FPGA_UTILISATION_MIN));
    assertEquals(Map.of("fpga_utilisation", 0.42, "fpga_utilisation_min", 0.0), v);
  }
}
