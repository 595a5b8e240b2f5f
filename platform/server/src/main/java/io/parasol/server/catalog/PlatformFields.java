package io.parasol.server.catalog;

import io.parasol.plugin.api.Accelerator;
import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.ResourceProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The launch fields the platform owns (ids in {@code FormSpec.RESERVED_FIELD_IDS}): cores, wall
 * time, partition and accelerator, bounded by the app's resource profile and the platform's limits.
 */
public final class PlatformFields {

  public static final String CORES = "cores";
  public static final String WALL_TIME = "wallTimeMinutes";
  public static final String PARTITION = "partition";
  public static final String ACCELERATOR = "accelerator";

  /** The partition value that lets placement choose. */
  public static final String AUTO = "auto";

  /** The accelerator value for a run without one. */
  public static final String NO_ACCELERATOR = "none";

  private PlatformFields() {}

  /** The platform fields for an app, in display order. */
  public static List<Field> forProfile(
      ResourceProfile profile, CatalogConfig config, List<String> partitions) {
    double expected = profile.expectedWallTime().toSeconds() / 60.0;
    double defaultWall =
        Math.min(
            config.maxWallTimeMinutes(),
            Math.max(config.minWallTimeMinutes(), Math.ceil(expected * 2)));
    List<ChoiceField.Option> partitionOptions = new ArrayList<>();
    partitionOptions.add(new ChoiceField.Option(AUTO, "Cheapest that fits"));
    partitions.forEach(p -> partitionOptions.add(new ChoiceField.Option(p, p)));
    List<Field> fields = new ArrayList<>();
    fields.addAll(
        List.of(
            IntegerField.of(CORES, "Cores")
                .withRange(profile.minCores(), profile.maxCores())
                .withDefault(profile.defaultCores())
                .withHelp(
                    "CPU cores for this run; memory is "
                        + profile.memoryPerCoreMb()
                        + " MiB per core"),
            NumberField.of(WALL_TIME, "Wall-time limit")
                .withUnit("min")
                .withRange(config.minWallTimeMinutes(), config.maxWallTimeMinutes())
                .withDefault(defaultWall)
                .withHelp("The run is stopped (TIMED_OUT) when it runs longer than this"),
            ChoiceField.of(
                    PARTITION, "Partition", partitionOptions.toArray(ChoiceField.Option[]::new))
                .withDefault(AUTO)
                .withHelp(
                    "Pin the run to a partition, or let Parasol choose the cheapest that fits")));
    if (!profile.accelerators().isEmpty()) {
      List<ChoiceField.Option> options = new ArrayList<>();
      profile
          .accelerators()
          .forEach(a -> options.add(new ChoiceField.Option(acceleratorId(a), label(a))));
      options.add(new ChoiceField.Option(NO_ACCELERATOR, "None (CPU only)"));
      fields.add(
          ChoiceField.of(ACCELERATOR, "Accelerator", options.toArray(ChoiceField.Option[]::new))
              .withDefault(acceleratorId(profile.accelerators().get(0)))
              .withHelp(
                  "The accelerator the run asks for; placement picks a partition that has it"));
    }
    return List.copyOf(fields);
  }

  /** The choice value of an accelerator: kind, model and count, for example {@code gpu:a100:1}. */
  public static String acceleratorId(Accelerator a) {
    return a.kind().name().toLowerCase(Locale.ROOT) + ":" + a.model() + ":" + a.count();
  }

  /** The accelerator a choice value stands for, among the profile's. */
  public static Optional<Accelerator> accelerator(ResourceProfile profile, String id) {
    return profile.accelerators().stream().filter(a -> acceleratorId(a).equals(id)).findFirst();
  }

  private static String label(Accelerator a) {
    return a.kind() + " " + a.model() + " × " + a.count();
  }
}
