package io.parasol.apps.cavity;

import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.Industry;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.plugin.api.RunCancelledException;
import io.parasol.plugin.api.RunContext;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.SimulationApp;
import io.parasol.plugin.api.Solver;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.pf4j.Extension;

/** Lid-driven cavity flow: the classic CFD benchmark, validated against Ghia et al. (1982). */
@Extension
public class CavityFlowApp implements SimulationApp {

  private static final Properties BUILD = load();

  @Override
  public AppManifest manifest() {
    return new AppManifest(
        BUILD.getProperty("id"),
        "Lid-driven cavity flow",
        BUILD.getProperty("version"),
        "Thermosoft",
        Industry.CFD,
        "Steady 2D incompressible flow in a square cavity driven by its moving lid.",
        """
        Solves the steady incompressible Navier–Stokes equations in a unit square whose top wall
        (the lid) slides at unit speed, in stream function and vorticity form, marching in
        pseudo-time until the flow no longer changes. The Reynolds number is U·L/ν.

        * Method: second-order central differences, explicit vorticity transport, SOR for the
          stream function, Thom's wall vorticity.
        * Validation: the u velocity on the vertical centre line matches Ghia, Ghia & Shin (1982),
          Table I, within 0.003 at Re = 100 and 0.024 at Re = 400 on a 64 × 64 grid.
        * Outputs: `centreline.csv` (u along x = 0.5, v along y = 0.5), `field.csv` (x, y, u, v, ψ,
          ω), `speed.png`, `summary.json` (primary vortex, steps, residual).
        """,
        List.of("cfd", "navier-stokes", "benchmark", "validation"),
        "Per-run licence; results may be published with attribution.");
  }

  @Override
  public FormSpec form() {
    return FormSpec.of(
        Section.of(
            "flow",
            "Flow",
            NumberField.of("reynolds", "Reynolds number")
                .withRange(1, 1000)
                .withDefault(100)
                .withHelp("U·L/ν with the lid speed U and the cavity size L")),
        Section.of(
            "numerics",
            "Numerics",
            IntegerField.of("cells", "Cells per side").withRange(16, 256).withDefault(64),
            NumberField.of("tolerance", "Steady-state tolerance")
                .withRange(1e-8, 1e-1)
                .withDefault(1e-4)
                .withHelp("Stop when the vorticity changes by less than this per unit time"),
            IntegerField.of("maxSteps", "Most pseudo-time steps")
                .withRange(100, 5_000_000)
                .withDefault(1_000_000)));
  }

  @Override
  public Map<String, Object> sampleInputs() {
    return Map.of("reynolds", 100, "cells", 16, "tolerance", 1e-3);
  }

  @Override
  public ResourceProfile resources() {
    return ResourceProfile.cpu(1, 1, 2, 256, Duration.ofMinutes(2));
  }

  @Override
  public Solver solver() {
    return this::solve;
  }

  private void solve(RunContext context) throws IOException {
    double reynolds = context.inputs().number("reynolds");
    int cells = (int) context.inputs().integer("cells");
    double tolerance = context.inputs().number("tolerance");
    int maxSteps = (int) context.inputs().integer("maxSteps");
    context.info(
        String.format(
            Locale.ROOT,
            "cavity: Re %.4g, %d x %d cells, tolerance %.1e",
            reynolds,
            cells,
            cells,
            tolerance));
    long started = System.nanoTime();
    double[] first = {Double.NaN};
    CavitySolver.Result r =
        CavitySolver.solve(
            reynolds,
            cells,
            tolerance,
            maxSteps,
            (step, time, residual) -> {
              if (context.isCancelled()) {
                return false;
              }
              if (Double.isNaN(first[0]) && Double.isFinite(residual)) {
                first[0] = residual;
              }
              double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
              context.metric("residual", residual);
              context.metric("steps_per_second", step / seconds);
              double done = Math.log(first[0] / residual) / Math.log(first[0] / tolerance);
              context.progress(
                  Math.max(0, Math.min(0.99, Double.isFinite(done) ? done : 0)),
                  String.format(Locale.ROOT, "step %d, residual %.2e", step, residual));
              return true;
            });
    if (context.isCancelled()) {
      throw new RunCancelledException();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (!r.converged()) {
      context.log(
          io.parasol.plugin.api.LogLevel.WARN,
          String.format(
              Locale.ROOT, "not converged after %d steps: residual %.2e", r.steps(), r.residual()));
    }
    Path out = context.outputDir();
    writeCentreline(r, out.resolve("centreline.csv"));
    writeField(r, out.resolve("field.csv"));
    SpeedMap.write(r.u(), r.v(), out.resolve("speed.png"));
    int[] vortex = primaryVortex(r);
    double h = 1.0 / cells;
    String summary =
        String.format(
            Locale.ROOT,
            "{\n  \"reynolds\": %.6g,\n  \"cells\": %d,\n  \"converged\": %s,\n  \"steps\": %d,\n"
                + "  \"residual\": %.3e,\n  \"primaryVortex\": {\"x\": %.4f, \"y\": %.4f, \"psi\": %.6f},\n"
                + "  \"minCentrelineU\": %.6f,\n  \"solverSeconds\": %.3f,\n"
                + "  \"cellUpdatesPerSecond\": %.4g\n}\n",
            reynolds,
            cells,
            r.converged(),
            r.steps(),
            r.residual(),
            vortex[0] * h,
            vortex[1] * h,
            r.psi()[vortex[1]][vortex[0]],
            minCentrelineU(r),
            seconds,
            (double) r.steps() * (cells - 1) * (cells - 1) / seconds);
    Files.writeString(out.resolve("summary.json"), summary, StandardCharsets.UTF_8);
    context.progress(1.0, "done");
    context.info(
        String.format(
            Locale.ROOT,
            "done: %d steps in %.2f s, primary vortex at (%.3f, %.3f)",
            r.steps(),
            seconds,
            vortex[0] * h,
            vortex[1] * h));
  }

  /** The grid node of the smallest stream function: the centre of the primary vortex. */
  static int[] primaryVortex(CavitySolver.Result r) {
    int[] at = {0, 0};
    double min = Double.POSITIVE_INFINITY;
    for (int j = 0; j <= r.n(); j++) {
      for (int i = 0; i <= r.n(); i++) {
        if (r.psi()[j][i] < min) {
          min = r.psi()[j][i];
          at[0] = i;
          at[1] = j;
        }
      }
    }
    return at;
  }

  private static double minCentrelineU(CavitySolver.Result r) {
    double min = Double.POSITIVE_INFINITY;
    for (int k = 0; k <= 200; k++) {
      min = Math.min(min, r.uAtCentre(k / 200.0));
    }
    return min;
  }

  private static void writeCentreline(CavitySolver.Result r, Path csv) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("s,u_at_x_0.5_y_s,v_at_y_0.5_x_s\n");
      for (int k = 0; k <= r.n(); k++) {
        double s = (double) k / r.n();
        w.write(String.format(Locale.ROOT, "%.6f,%.6f,%.6f\n", s, r.uAtCentre(s), r.vAtCentre(s)));
      }
    }
  }

  private static void writeField(CavitySolver.Result r, Path csv) throws IOException {
    double h = 1.0 / r.n();
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("x,y,u,v,psi,omega\n");
      for (int j = 0; j <= r.n(); j++) {
        for (int i = 0; i <= r.n(); i++) {
          w.write(
              String.format(
                  Locale.ROOT,
                  "%.6f,%.6f,%.6g,%.6g,%.6g,%.6g\n",
                  i * h,
                  j * h,
                  r.u()[j][i],
                  r.v()[j][i],
                  r.psi()[j][i],
                  r.omega()[j][i]));
        }
      }
    }
  }

  private static Properties load() {
    try (InputStream in = CavityFlowApp.class.getResourceAsStream("app.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
