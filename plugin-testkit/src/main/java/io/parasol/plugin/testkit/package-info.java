/**
 * The plugin testkit: what an ISV uses in its own JUnit tests to check an app before uploading it.
 *
 * <ul>
 *   <li>{@link io.parasol.plugin.testkit.AppHarness} validates inputs against the app's form as the
 *       platform does, runs the self-test the platform runs on upload, and runs the solver on any
 *       inputs;
 *   <li>{@link io.parasol.plugin.testkit.RecordingRunContext} is the {@code RunContext} it runs
 *       with: it records progress, metrics, log lines and output files, and can be cancelled;
 *   <li>{@link io.parasol.plugin.testkit.PluginJar} builds the plugin jar (PF4J manifest and the
 *       compiled classes) into a directory such as a JUnit {@code @TempDir}.
 * </ul>
 */
package io.parasol.plugin.testkit;
