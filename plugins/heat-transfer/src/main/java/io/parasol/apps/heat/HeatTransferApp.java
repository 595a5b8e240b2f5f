package io.parasol.apps.heat;

import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.BooleanField;
import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.ChoiceField.Option;
import io.parasol.plugin.api.Condition;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.Industry;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.plugin.api.RunContext;
import io.parasol.plugin.api.RunInputs;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.pf4j.Extension;

/** The heat-transfer app: transient conduction in a rectangular plate. */
@Extension
public class HeatTransferApp implements SimulationApp {

  private static final Properties BUILD = load();

  @Override
  public AppManifest manifest() {
    return new AppManifest(
        BUILD.getProperty("id"),
        "Plate heat transfer",
        BUILD.getProperty("version"),
        "Thermosoft",
        Industry.THERMAL,
        "2D transient heat conduction in a rectangular plate with fixed edge temperatures.",
        """
        Solves the heat equation ∂T/∂t = α∇²T on a rectangular plate whose four edges are held at
        fixed temperatures, starting from a uniform temperature.

        * Method: explicit finite differences (FTCS) with a time step inside the stability limit.
        * Outputs: `temperature.csv` (x, y, T), `heatmap.png`, `summary.json`.
        """,
        List.of("heat", "conduction", "thermal", "finite-difference"),
        "Thermosoft evaluation licence: results may be used for any purpose.");
  }

  @Override
  public FormSpec form() {
    Option[] materials =
        Arrays.stream(Material.values()).map(m -> new Option(m.id, m.label)).toArray(Option[]::new);
    Option[] withCustom = Arrays.copyOf(materials, materials.length + 1);
    withCustom[materials.length] = new Option("custom", "Custom");
    Condition custom = Condition.when("material", "custom");
    return FormSpec.of(
        Section.of(
            "geometry",
            "Plate",
            NumberField.of("length", "Length").withUnit("m").withRange(0.001, 10).withDefault(0.1),
            NumberField.of("width", "Width").withUnit("m").withRange(0.001, 10).withDefault(0.1)),
        Section.of(
            "grid",
            "Grid",
            IntegerField.of("nx", "Points along the length").withRange(5, 401).withDefault(51),
            IntegerField.of("ny", "Points along the width").withRange(5, 401).withDefault(51)),
        Section.of(
            "material",
            "Material",
            ChoiceField.of("material", "Material", withCustom).withDefault("aluminium"),
            NumberField.of("conductivity", "Thermal conductivity")
                .withUnit("W/(m·K)")
                .withRange(0.01, 5000)
                .withDefault(50)
                .visibleWhen(custom),
            NumberField.of("density", "Density")
                .withUnit("kg/m³")
                .withRange(1, 50000)
                .withDefault(7850)
                .visibleWhen(custom),
            NumberField.of("specificHeat", "Specific heat")
                .withUnit("J/(kg·K)")
                .withRange(1, 50000)
                .withDefault(490)
                .visibleWhen(custom)),
        Section.of(
            "boundary",
            "Temperatures",
            NumberField.of("left", "Left edge")
                .withUnit("°C")
                .withRange(-273.15, 5000)
                .withDefault(100),
            NumberField.of("right", "Right edge")
                .withUnit("°C")
                .withRange(-273.15, 5000)
                .withDefault(20),
            NumberField.of("bottom", "Bottom edge")
                .withUnit("°C")
                .withRange(-273.15, 5000)
                .withDefault(20),
            NumberField.of("top", "Top edge")
                .withUnit("°C")
                .withRange(-273.15, 5000)
                .withDefault(20),
            NumberField.of("initial", "Initial plate temperature")
                .withUnit("°C")
                .withRange(-273.15, 5000)
                .withDefault(20)),
        Section.of(
            "time",
            "Time",
            NumberField.of("duration", "Simulated time")
                .withUnit("s")
                .withRange(0.001, 1e7)
                .withDefault(60),
            BooleanField.of("writeCsv", "Write the temperature field as CSV", true)));
  }

  @Override
  public ResourceProfile resources() {
    return ResourceProfile.cpu(1, 1, 8, 256, Duration.ofMinutes(5));
  }

  @Override
  public Solver solver() {
    return this::solve;
  }

  /** Grid cells × explicit time steps: the work of one run. */
  @Override
  public double problemSize(RunInputs inputs) {
    Plate plate = plate(inputs);
    double steps = Math.ceil(plate.duration() / plate.stableTimeStep());
    return (double) plate.nx() * plate.ny() * steps;
  }

  static Plate plate(RunInputs in) {
    double diffusivity;
    if ("custom".equals(in.text("material"))) {
      diffusivity = in.number("conductivity") / (in.number("density") * in.number("specificHeat"));
    } else {
      Material m = Material.byId(in.text("material"));
      diffusivity = m.conductivity / (m.density * m.specificHeat);
    }
    return new Plate(
        in.number("length"),
        in.number("width"),
        (int) in.integer("nx"),
        (int) in.integer("ny"),
        diffusivity,
        in.number("left"),
        in.number("right"),
        in.number("bottom"),
        in.number("top"),
        in.number("initial"),
        in.number("duration"));
  }

  private void solve(RunContext context) throws IOException, InterruptedException {
    Plate plate = plate(context.inputs());
    context.info(
        String.format(
            Locale.ROOT,
            "plate %.4g m x %.4g m, grid %d x %d, alpha %.4g m2/s, dt %.4g s",
            plate.length(),
            plate.width(),
            plate.nx(),
            plate.ny(),
            plate.diffusivity(),
            plate.stableTimeStep()));
    long started = System.nanoTime();
    HeatSolver.Result result =
        HeatSolver.solve(
            plate,
            context.allocation().cores(),
            (step, steps, maxChange) -> {
              context.progress((double) step / steps, "step " + step + " of " + steps);
              context.metric("max_change_per_step_c", maxChange);
              double seconds = (System.nanoTime() - started) / 1e9;
              if (seconds > 0) {
                context.metric("steps_per_second", step / seconds);
              }
            },
            context::isCancelled);
    context.checkCancelled();

    double[][] field = result.field();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (double[] row : field) {
      for (double v : row) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
    }
    double mean = sum / (plate.nx() * (double) plate.ny());
    double centre = field[plate.ny() / 2][plate.nx() / 2];

    Path out = context.outputDir();
    if (context.inputs().bool("writeCsv")) {
      writeCsv(plate, field, out.resolve("temperature.csv"));
    }
    HeatMap.write(field, min, max, out.resolve("heatmap.png"));
    double seconds = (System.nanoTime() - started) / 1e9;
    String summary =
        String.format(
            Locale.ROOT,
            "{\n  \"minTemperatureC\": %.6f,\n  \"maxTemperatureC\": %.6f,\n  \"meanTemperatureC\": %.6f,\n"
                + "  \"centreTemperatureC\": %.6f,\n  \"steps\": %d,\n  \"timeStepS\": %.6g,\n"
                + "  \"diffusivityM2PerS\": %.6g,\n  \"gridPoints\": [%d, %d],\n  \"solverSeconds\": %.3f\n}\n",
            min,
            max,
            mean,
            centre,
            result.steps(),
            result.dt(),
            plate.diffusivity(),
            plate.nx(),
            plate.ny(),
            seconds);
    Files.writeString(out.resolve("summary.json"), summary, StandardCharsets.UTF_8);
    context.info(
        String.format(
            Locale.ROOT,
            "done: centre %.3f °C, %d steps in %.2f s",
            centre,
            result.steps(),
            seconds));
  }

  private static void writeCsv(Plate plate, double[][] field, Path csv) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("x_m,y_m,temperature_c\n");
      for (int j = 0; j < plate.ny(); j++) {
        for (int i = 0; i < plate.nx(); i++) {
          w.write(
              String.format(
                  Locale.ROOT, "%.6g,%.6g,%.6f\n", i * plate.dx(), j * plate.dy(), field[j][i]));
        }
      }
    }
  }

  private static Properties load() {
    try (InputStream in = HeatTransferApp.class.getResourceAsStream("app.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
