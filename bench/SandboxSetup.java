import io.parasol.worker.sandbox.Cgroup;
import io.parasol.worker.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's own setup cost: starting {@code /usr/bin/true} inside the worker's sandbox (a
 * cgroup made and removed, the filter and /etc files written, sh, prlimit, bwrap with every
 * namespace) against starting it directly, N times each, alternating.
 *
 * <p>Usage: java -cp platform/worker/target/parasol-worker-1.0.0-SNAPSHOT.jar bench/SandboxSetup.java [N]
 */
public class SandboxSetup {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path dir = Files.createTempDirectory("sandbox-bench");
    Path jar =
        Path.of(Sandbox.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Double> direct = new ArrayList<>();
    List<Double> sandboxed = new ArrayList<>();
    for (int i = 0; i < n + 5; i++) {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder("/usr/bin/true").start();
      check(p.waitFor(), "direct");
      long t1 = System.nanoTime();
      Path work = dir.resolve("w" + i);
      Files.createDirectories(work);
      Cgroup.Limits limits = new Cgroup.Limits(512L << 20, 512, 1);
      var cgroup = Cgroup.create("bench-" + i, limits, w -> System.err.println("warning: " + w));
      Sandbox.Layout layout =
          new Sandbox.Layout(
              jar, List.of(), null, work, jar, Path.of(System.getProperty("java.home")),
              dir.resolve("p" + i),
              null);
      List<String> command =
          Sandbox.command(
              layout,
              cgroup.map(Cgroup::procsFiles).orElse(List.of()),
              new Sandbox.Rlimits(1L << 30, 4096),
              Map.of("PATH", "/usr/bin:/bin"),
              List.of("/usr/bin/true"));
      Process q = new ProcessBuilder(command).inheritIO().start();
      check(q.waitFor(), "sandboxed");
      cgroup.ifPresent(Cgroup::close);
      long t2 = System.nanoTime();
      if (i >= 5) {
        direct.add((t1 - t0) / 1e6);
        sandboxed.add((t2 - t1) / 1e6);
      }
    }
    System.out.printf(
        "runs %d (after 5 warm-up)%n"
            + "direct /usr/bin/true:     p50 %.1f ms, p99 %.1f ms%n"
            + "sandboxed /usr/bin/true:  p50 %.1f ms, p99 %.1f ms%n"
            + "setup cost (difference):  p50 %.1f ms, p99 %.1f ms%n",
        n, pct(direct, 50), pct(direct, 99), pct(sandboxed, 50), pct(sandboxed, 99),
        pct(sandboxed, 50) - pct(direct, 50), pct(sandboxed, 99) - pct(direct, 99));
  }

  static void check(int code, String what) {
    if (code != 0) {
      throw new IllegalStateException(what + " exited with " + code);
    }
  }

  static double pct(List<Double> values, double p) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int k = (int) Math.max(0, Math.min(v.size() - 1, Math.ceil(p / 100 * v.size()) - 1));
    return v.get(k);
  }
}
