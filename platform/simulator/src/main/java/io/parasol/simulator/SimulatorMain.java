package io.parasol.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simulator's command: replays a trace over a federation under Parasol's strategy and every
 * baseline, prints the comparison, and writes {@code summary.csv}, {@code jobs.csv} and {@code
 * waits.png} to the output directory.
 */
public final class SimulatorMain {

  private static final String USAGE =
      """
      usage: java -jar parasol-simulator.jar --trace FILE.swf --federation FILE.yaml
                 [--out DIR] [--seed N] [--jobs N] [--strategies a,b,...]
        strategies: parasol fifo easy-per-cluster home-only round-robin cheapest-first sibling-race
        (all by default; the first one is the one the others are compared with)
      """;

  private SimulatorMain() {}

  public static void main(String[] args) throws IOException {
    Path trace = null;
    Path federation = null;
    Path out = Path.of("simulation");
    long seed = 1;
    int limit = 0;
    List<Strategy> strategies = new ArrayList<>(Arrays.asList(Strategy.values()));
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.print(USAGE);
        return;
      }
      if (i + 1 >= args.length) {
        fail(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--trace" -> trace = Path.of(v);
        case "--federation" -> federation = Path.of(v);
        case "--out" -> out = Path.of(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--jobs" -> limit = Integer.parseInt(v);
        case "--strategies" -> {
          strategies.clear();
          for (String s : v.split(",")) {
            strategies.add(Strategy.of(s.strip()));
          }
        }
        default -> fail("unknown option " + a);
      }
    }
    if (trace == null || federation == null) {
      fail("--trace and --federation are required");
    }
    SwfTrace swf;
    try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.US_ASCII)) {
      swf = SwfTrace.read(in);
    }
    Simulator sim = new Simulator(Federation.read(federation), swf, seed, limit);
    List<Simulator.Result> results = new ArrayList<>();
    for (Strategy s : strategies) {
      long t0 = System.nanoTime();
      results.add(sim.run(s));
      System.err.printf("%s: %.1f s%n", s.id(), (System.nanoTime() - t0) / 1e9);
    }
    List<Simulator.Summary> rows = results.stream().map(Simulator.Result::summary).toList();
    System.out.printf(
        "%s over %s: %d jobs, seed %d%n%n",
        trace.getFileName(), federation.getFileName(), sim.jobs().size(), seed);
    System.out.print(Report.table(rows));
    Files.createDirectories(out);
    Report.summaryCsv(rows, out.resolve("summary.csv"));
    Report.jobsCsv(results, out.resolve("jobs.csv"));
    WaitChart.png(
        results,
        "Wait times: " + trace.getFileName() + " over " + federation.getFileName(),
        out.resolve("waits.png"));
    System.out.println();
    System.out.println("wrote " + out.resolve("summary.csv") + ", jobs.csv and waits.png");
  }

  private static void fail(String message) {
    System.err.println(message);
    System.err.print(USAGE);
    System.exit(2);
  }
}
