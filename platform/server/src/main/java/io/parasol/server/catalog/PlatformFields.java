package io.parasol.server.catalog;

import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.ResourceProfile;
import java.util.List;

/**
 * The launch fields the platform owns (ids in {@code FormSpec.RESERVED_FIELD_IDS}): cores, wall
 * time and partition, bounded by the app's resource profile and the platform's limits.
 */
public final class PlatformFields {

  public static final String CORES = "cores";
  public static final String WALL_TIME = "wallTimeMinutes";
  public static final String PARTITION = "partition";
  public static final String LOCAL_PARTITION = "local";

  private PlatformFields() {}

  /** The platform fields for an app, in display order. */
  public static List<Field> forProfile(ResourceProfile profile, CatalogConfig config) {
    double expected = profile.expectedWallTime().toSeconds() / 60.0;
    double defaultWall =
        Math.min(
            config.maxWallTimeMinutes(),
            Math.max(config.minWallTimeMinutes(), Math.ceil(expected * 2)));
    return List.of(
        IntegerField.of(CORES, "Cores")
            .withRange(profile.minCores(), profile.maxCores())
            .withDefault(profile.defaultCores())
            .withHelp(
                "CPU cores for this run; memory is " + profile.memoryPerCoreMb() + " MiB per core"),
        NumberField.of(WALL_TIME, "Wall-time limit")
            .withUnit("min")
            .withRange(config.minWallTimeMinutes(), config.maxWallTimeMinutes())
            .withDefault(defaultWall)
            .withHelp("The run is stopped (TIMED_OUT) when it runs longer than this"),
        ChoiceField.of(PARTITION, "Partition", new ChoiceField.Option(LOCAL_PARTITION, "Local"))
            .withDefault(LOCAL_PARTITION));
  }
}
