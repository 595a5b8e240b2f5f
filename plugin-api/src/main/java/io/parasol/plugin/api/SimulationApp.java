package io.parasol.plugin.api;

import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * A simulation app: the extension point every Parasol plugin implements once.
 *
 * <p>Annotate the implementation with {@code @org.pf4j.Extension}. The platform calls the
 * descriptive methods once, when the plugin is uploaded, and stores what they return; it calls
 * {@link #solver()} in a worker process for every run.
 */
public interface SimulationApp extends ExtensionPoint {

  /**
   * Who this app is: id, name, version, vendor and licence.
   *
   * @return the manifest, never {@code null}
   */
  AppManifest manifest();

  /**
   * The form an engineer fills in to launch a run.
   *
   * @return the form, never {@code null}
   */
  FormSpec form();

  /**
   * The hardware this app wants: cores, memory and accelerators.
   *
   * @return the resource profile, never {@code null}
   */
  ResourceProfile resources();

  /**
   * Inputs for the self-test the platform runs when the plugin is uploaded. They must be valid for
   * {@link #form()} and finish quickly on one core. The default takes every field's default.
   *
   * @return input values by field id
   */
  default Map<String, Object> sampleInputs() {
    return form().defaults();
  }

  /**
   * The solver that computes one run.
   *
   * @return the solver, never {@code null}
   */
  Solver solver();

  /**
   * Whether the platform may run the app again from the start when a run's job is lost through no
   * fault of the app (its node failed, its cluster lost it). Apps whose runs have effects outside
   * their work directory answer {@code false}; those runs then end {@code FAILED} instead.
   *
   * @return {@code true} unless overridden
   * @since 1.1
   */
  default boolean resubmittable() {
    return true;
  }

  /**
   * The size of the problem these inputs describe, in the app's own unit (grid cells × time steps,
   * elements, nets...). The platform learns each app's expected progress rate as a function of
   * problem size and cores, and tells an engineer when a run is slower than that. It is called in
   * the worker at the start of a run, must be cheap and must not read input files.
   *
   * @param inputs the validated inputs of a run
   * @return a positive size, or {@code 0} when the app does not say (the default)
   * @since 1.2
   */
  default double problemSize(RunInputs inputs) {
    return 0;
  }
}
