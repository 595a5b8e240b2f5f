package io.parasol.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.parasol.plugin.api.Allocation;
import java.util.List;
import java.util.Map;

/**
 * What the worker's supervisor and the sandboxed plugin process say to each other: one JSON object
 * per line, the supervisor's on the plugin process's standard input, the plugin process's on its
 * standard output (its own console, and that of plugin code, goes to standard error).
 *
 * <p>The supervisor sends one {@link Describe} or {@link Run} and may then send {@link Cancel}. The
 * plugin process answers with any number of {@link Event}, {@link Heap}, {@link ProblemSize} and
 * (when describing) {@link Checked} and {@link Described} messages, then one {@link Finished}.
 * Everything the plugin process says is untrusted: the supervisor checks sizes and kinds, and
 * decides the outcome itself (outputs, limits, exit). Paths are those inside the sandbox.
 *
 * <p>The plugin process never receives the run token, the server's address or any credential.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PluginMessage.Describe.class, name = "describe"),
  @JsonSubTypes.Type(value = PluginMessage.Run.class, name = "run"),
  @JsonSubTypes.Type(value = PluginMessage.Cancel.class, name = "cancel"),
  @JsonSubTypes.Type(value = PluginMessage.Event.class, name = "event"),
  @JsonSubTypes.Type(value = PluginMessage.Heap.class, name = "heap"),
  @JsonSubTypes.Type(value = PluginMessage.ProblemSize.class, name = "problem-size"),
  @JsonSubTypes.Type(value = PluginMessage.Checked.class, name = "checked"),
  @JsonSubTypes.Type(value = PluginMessage.Described.class, name = "described"),
  @JsonSubTypes.Type(value = PluginMessage.Finished.class, name = "finished")
})
public sealed interface PluginMessage {

  /** The longest line either side accepts; a longer one ends the conversation. */
  int MAX_LINE_CHARS = 4 * 1024 * 1024;

  /**
   * Supervisor to plugin: verify a plugin (load it, extract its descriptor, run the self-test).
   *
   * @param pluginJar the plugin jar
   * @param dependencies the jars of the apps it builds on, base first
   * @param selfTestDir the self-test's work directory (writable)
   * @param maxLogBytes the most log bytes the self-test may write
   */
  record Describe(String pluginJar, List<String> dependencies, String selfTestDir, long maxLogBytes)
      implements PluginMessage {}

  /**
   * Supervisor to plugin: execute one run.
   *
   * @param pluginJar the plugin jar
   * @param dependencies the jars of the apps it builds on, base first
   * @param appId the app to run
   * @param inputs the inputs as typed JSON values (validated again against the form)
   * @param files the file inputs' paths by field id
   * @param workDir the run's work directory (writable)
   * @param outputDir where the solver writes its outputs, inside the work directory
   * @param allocation the allocated resources
   * @param maxLogBytes the most log bytes the run may write
   */
  record Run(
      String pluginJar,
      List<String> dependencies,
      String appId,
      Map<String, Object> inputs,
      Map<String, String> files,
      String workDir,
      String outputDir,
      Allocation allocation,
      long maxLogBytes)
      implements PluginMessage {}

  /** Supervisor to plugin: the run was cancelled; the solver should stop. */
  record Cancel() implements PluginMessage {}

  /**
   * Plugin to supervisor: a log line, progress or solver metric.
   *
   * @param event the event (only {@code LOG}, {@code PROGRESS} and {@code METRIC} are taken)
   */
  record Event(RunEvent event) implements PluginMessage {}

  /**
   * Plugin to supervisor: the plugin JVM's heap, for the run's samples.
   *
   * @param held bytes that survived a collection
   * @param capacity how many bytes of surviving data the heap can hold
   */
  record Heap(long held, long capacity) implements PluginMessage {}

  /**
   * Plugin to supervisor: the app's problem size for these inputs.
   *
   * @param size the size
   */
  record ProblemSize(double size) implements PluginMessage {}

  /**
   * Plugin to supervisor, when describing: one verification check done.
   *
   * @param check the check
   */
  record Checked(VerificationReport.Check check) implements PluginMessage {}

  /**
   * Plugin to supervisor, when describing: the descriptor extracted from the plugin.
   *
   * @param descriptor the descriptor
   */
  record Described(AppDescriptor descriptor) implements PluginMessage {}

  /**
   * Plugin to supervisor: the solver (or the verification) is over.
   *
   * @param outcome how it ended
   * @param reason why, for {@link Outcome#FAILED}
   */
  record Finished(Outcome outcome, String reason) implements PluginMessage {}

  /** How plugin code ended. */
  enum Outcome {
    /** It returned normally (a run's outputs are the supervisor's to check and upload). */
    COMPLETED,
    /** It threw, or the plugin could not be loaded; the reason says which. */
    FAILED,
    /** It stopped after a cancellation. */
    CANCELLED,
    /** The plugin JVM ran out of heap. */
    OUT_OF_MEMORY
  }
}
