package io.parasol.apps.heatgpu;

import io.parasol.apps.heat.HeatTransferApp;
import io.parasol.plugin.api.Accelerator;
import io.parasol.plugin.api.AcceleratorKind;
import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.Industry;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.SimulationApp;
import io.parasol.plugin.api.Solver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.pf4j.Extension;

/**
 * A derived app: the published {@code heat-transfer} plugin's form and solver (this plugin declares
 * {@code Plugin-Dependencies: heat-transfer}), sold with its own presets (a fine copper plate), its
 * own licence fee, and a resource profile that asks for a GPU.
 */
@Extension
public class HeatTransferGpuApp implements SimulationApp {

  private static final Properties BUILD = load();

  private final HeatTransferApp base = new HeatTransferApp();

  @Override
  public AppManifest manifest() {
    return new AppManifest(
        BUILD.getProperty("id"),
        "Plate heat transfer (GPU nodes)",
        BUILD.getProperty("version"),
        "Thermosoft",
        Industry.THERMAL,
        "The heat-transfer app on GPU nodes, preset for fine copper plates.",
        """
        Builds on **Plate heat transfer**: the same form, solver and outputs, placed on partitions
        with a GPU (any model) and preset for a 201 × 201 copper plate. Choose *None (CPU only)*
        as the accelerator to run it anywhere.
        """,
        List.of("thermal", "conduction", "gpu", "derived"),
        "Per-run licence; includes the base app's licence.");
  }

  /** The base app's form with this app's presets as defaults: a fine copper plate. */
  @Override
  public FormSpec form() {
    return new FormSpec(
        base.form().sections().stream()
            .map(
                section ->
                    new Section(
                        section.id(),
                        section.title(),
                        section.fields().stream().map(HeatTransferGpuApp::preset).toList()))
            .toList());
  }

  private static Field preset(Field field) {
    return switch (field.id()) {
      case "material" -> ((ChoiceField) field).withDefault("copper");
      case "nx", "ny" -> ((IntegerField) field).withDefault(201);
      default -> field;
    };
  }

  @Override
  public Map<String, Object> sampleInputs() {
    return Map.of("nx", 21, "ny", 21, "duration", 1);
  }

  @Override
  public ResourceProfile resources() {
    return new ResourceProfile(
        1,
        2,
        8,
        512,
        List.of(new Accelerator(AcceleratorKind.GPU, "any", 1)),
        Duration.ofMinutes(5));
  }

  @Override
  public Solver solver() {
    return base.solver();
  }

  private static Properties load() {
    try (InputStream in = HeatTransferGpuApp.class.getResourceAsStream("app.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
