package io.parasol.worker;

import io.parasol.plugin.api.PluginApi;
import io.parasol.plugin.api.SimulationApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/** Loads exactly one plugin jar with PF4J and finds its {@link SimulationApp}. */
final class PluginHost {

  /** Why a plugin could not be loaded, phrased for the ISV. */
  static final class LoadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String check;

    LoadException(String check, String message) {
      super(message);
      this.check = check;
    }

    String check() {
      return check;
    }
  }

  /** A loaded plugin and its app. */
  record Loaded(PluginDescriptor descriptor, SimulationApp app, ClassLoader classLoader) {}

  private PluginHost() {}

  /**
   * Reads the manifest, checks Plugin-Requires, loads and starts the plugin and returns its one
   * app. Plugin code (constructors, static initialisers) runs here, so the sandbox must already be
   * installed.
   */
  static Loaded load(Path jar, String expectedAppId) throws LoadException {
    return load(jar, expectedAppId, List.of());
  }

  /**
   * As {@link #load(Path, String)}, for a derived app: its base plugins ({@code
   * Plugin-Dependencies}) are loaded first from {@code dependencies}, so that PF4J resolves them
   * and the app's classes see theirs.
   */
  static Loaded load(Path jar, String expectedAppId, List<Path> dependencies) throws LoadException {
    PluginDescriptor descriptor = checkManifest(jar);
    PluginManager manager = new DefaultPluginManager(jar.toAbsolutePath().getParent());
    manager.setSystemVersion(PluginApi.version());
    for (Path dependency : dependencies) {
      try {
        manager.loadPlugin(dependency.toAbsolutePath());
      } catch (RuntimeException e) {
        throw new LoadException(
            "dependencies", "the base plugin could not be loaded: " + rootMessage(e));
      }
    }
    String pluginId;
    try {
      pluginId = manager.loadPlugin(jar.toAbsolutePath());
    } catch (RuntimeException e) {
      throw new LoadException("load", "PF4J could not load the plugin: " + rootMessage(e));
    }
    PluginWrapper wrapper = manager.getPlugin(pluginId);
    PluginState state = manager.startPlugin(pluginId);
    if (state != PluginState.STARTED) {
      Throwable failure = wrapper.getFailedException();
      throw new LoadException(
          "load",
          "the plugin did not start (state "
              + state
              + (failure == null ? "" : ": " + rootMessage(failure))
              + ")");
    }
    List<SimulationApp> apps;
    try {
      apps = manager.getExtensions(SimulationApp.class, pluginId);
    } catch (RuntimeException e) {
      throw new LoadException("extension", "creating the SimulationApp failed: " + rootMessage(e));
    }
    if (apps.isEmpty()) {
      throw new LoadException(
          "extension",
          "the plugin has no SimulationApp extension: annotate your class with @Extension and"
              + " make sure META-INF/extensions.idx is in the jar");
    }
    if (apps.size() > 1 && expectedAppId == null) {
      throw new LoadException(
          "extension", "a plugin must contain exactly one SimulationApp, found " + apps.size());
    }
    SimulationApp app = apps.get(0);
    if (expectedAppId != null) {
      app =
          apps.stream()
              .filter(a -> expectedAppId.equals(a.manifest().id()))
              .findFirst()
              .orElseThrow(
                  () -> new LoadException("extension", "the plugin has no app " + expectedAppId));
    }
    return new Loaded(descriptor, app, wrapper.getPluginClassLoader());
  }

  /**
   * Reads the jar's manifest and checks its Plugin-Id, Plugin-Version and Plugin-Requires against
   * this plugin API, without loading any class of the plugin (the supervisor calls it).
   */
  static PluginDescriptor checkManifest(Path jar) throws LoadException {
    if (!Files.isRegularFile(jar)) {
      throw new LoadException("archive", "plugin file not found: " + jar.getFileName());
    }
    PluginDescriptor descriptor;
    try {
      descriptor = new ManifestPluginDescriptorFinder().find(jar);
    } catch (RuntimeException e) {
      throw new LoadException(
          "descriptor",
          "no plugin descriptor: the jar's META-INF/MANIFEST.MF needs Plugin-Id and Plugin-Version ("
              + e.getMessage()
              + ")");
    }
    if (descriptor.getPluginId() == null || descriptor.getPluginId().isBlank()) {
      throw new LoadException(
          "descriptor", "no plugin descriptor: Plugin-Id is missing from MANIFEST.MF");
    }
    if (descriptor.getVersion() == null || descriptor.getVersion().isBlank()) {
      throw new LoadException("descriptor", "Plugin-Version is missing from MANIFEST.MF");
    }
    String requires = descriptor.getRequires();
    if (requires == null || requires.isBlank() || "*".equals(requires.trim())) {
      throw new LoadException(
          "compatibility",
          "Plugin-Requires is missing: declare the plugin API range you build against, for example"
              + " >=1.0.0 & <2.0.0");
    }

    boolean compatible;
    try {
      compatible =
          new org.pf4j.DefaultVersionManager()
              .checkVersionConstraint(PluginApi.version(), requires);
    } catch (RuntimeException e) {
      throw new LoadException(
          "compatibility",
          "Plugin-Requires '" + requires + "' is not a valid version range: " + e.getMessage());
    }
    if (!compatible) {
      throw new LoadException(
          "compatibility",
          "Plugin-Requires '"
              + requires
              + "' does not accept this platform's plugin API "
              + PluginApi.version()
              + "; build against plugin API "
              + PluginApi.version()
              + " or declare a range that includes it");
    }

    return descriptor;
  }

  static String rootMessage(Throwable e) {
    Throwable root = root(e);
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * The deepest cause of a throwable, stopping where the chain loops back on itself (plugin code
   * can build a cycle of any length) or gets implausibly deep.
   */
  static Throwable root(Throwable e) {
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Throwable root = e;
    seen.add(root);
    while (root.getCause() != null && seen.size() < 64 && seen.add(root.getCause())) {
      root = root.getCause();
    }
    return root;
  }
}
