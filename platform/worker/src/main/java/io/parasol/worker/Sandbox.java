package io.parasol.worker;

import java.io.FilePermission;
import java.nio.file.Path;
import java.security.Permission;
import java.security.PermissionCollection;
import java.security.Permissions;
import java.security.Policy;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.PropertyPermission;
import java.util.Set;

/**
 * The in-process layer of the worker sandbox: a security policy under which plugin classes may read
 * the JDK, their own jar and their inputs, read and write only their work directory, and may not
 * exit the JVM, read environment variables, start processes, open sockets or replace the sandbox.
 * The worker's own classes keep every permission.
 *
 * <p>The process-level layer (scrubbed environment, memory and wall-time limits, output caps, kill
 * on timeout) is applied by whoever starts the worker. See docs/adr/0003-worker-sandbox.md.
 */
@SuppressWarnings("removal")
final class Sandbox {

  private Sandbox() {}

  /** Installs the policy for a plugin jar whose run may write only under {@code workDir}. */
  static void install(Path pluginJar, Path workDir, List<Path> readOnly) {
    Permissions granted = new Permissions();
    String work = workDir.toAbsolutePath().normalize().toString();
    granted.add(new FilePermission(work, "read"));
    granted.add(new FilePermission(work + "/-", "read,write,delete"));
    granted.add(new FilePermission(pluginJar.toAbsolutePath().toString(), "read"));
    for (Path path : readOnly) {
      String p = path.toAbsolutePath().normalize().toString();
      granted.add(new FilePermission(p, "read"));
      granted.add(new FilePermission(p + "/-", "read"));
    }
    granted.add(new FilePermission(System.getProperty("java.home") + "/-", "read"));
    granted.add(new PropertyPermission("*", "read"));
    granted.add(new RuntimePermission("accessDeclaredMembers"));
    granted.add(new RuntimePermission("modifyThread"));
    granted.add(new RuntimePermission("getStackTrace"));
    granted.setReadOnly();

    // Classes of the JDK, the worker, PF4J and the plugin API come from the worker's loader or its
    // parents; everything defined by another loader came from a plugin jar. The chain is read now,
    // because ClassLoader.getParent() itself asks the security manager once it is installed.
    Set<ClassLoader> trusted = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ClassLoader l = Sandbox.class.getClassLoader(); l != null; l = l.getParent()) {
      trusted.add(l);
    }
    Policy.setPolicy(new PluginPolicy(granted, trusted));
    System.setSecurityManager(new SecurityManager());
  }

  /** Whether the running JVM still supports an in-process security manager. */
  static boolean supported() {
    return Runtime.version().feature() < 24;
  }

  private static final class PluginPolicy extends Policy {
    private final PermissionCollection pluginPermissions;
    private final Set<ClassLoader> trusted;

    PluginPolicy(PermissionCollection pluginPermissions, Set<ClassLoader> trusted) {
      this.pluginPermissions = pluginPermissions;
      this.trusted = trusted;
    }

    @Override
    public boolean implies(ProtectionDomain domain, Permission permission) {
      return !isPlugin(domain) || pluginPermissions.implies(permission);
    }

    private boolean isPlugin(ProtectionDomain domain) {
      ClassLoader loader = domain.getClassLoader();
      return loader != null && !trusted.contains(loader);
    }
  }
}
