package io.parasol.worker.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The operating-system sandbox in which the plugin process, and every process it starts, runs:
 * bubblewrap ({@code bwrap}) with new user, mount, PID, IPC, UTS, network and cgroup namespaces, no
 * capabilities, no new privileges, no further user namespaces, a seccomp filter ({@link
 * SeccompFilter}), a read-only view of the system ({@code /usr}, the JDK, a few files of {@code
 * /etc}), the plugin jars and inputs read-only under {@code /parasol}, the work directory the only
 * writable path, its own {@code /proc}, a minimal {@code /dev} and no network but its own loopback.
 * The command starts in the run's cgroup ({@link Cgroup}) with rlimits on file size, core dumps and
 * open files.
 *
 * <p>Paths inside are fixed, so that plugin code learns nothing of the host's layout: {@link
 * #WORK}, {@link #INPUTS}, {@link #PLUGIN}, {@link #WORKER_JAR}. See ADR 0015.
 */
public final class Sandbox {

  /** The work directory inside the sandbox, the only writable path. */
  public static final String WORK = io.parasol.protocol.PluginContainer.WORK;

  /** The run's input files inside the sandbox (read-only). */
  public static final String INPUTS = io.parasol.protocol.PluginContainer.INPUTS;

  /** The plugin jars inside the sandbox (read-only). */
  public static final String PLUGIN = io.parasol.protocol.PluginContainer.PLUGIN;

  /** The worker jar (the plugin process's classes) inside the sandbox (read-only). */
  public static final String WORKER_JAR = "/parasol/worker.jar";

  /** The plugin JVM's class-data archive inside the sandbox (read-only), when there is one. */
  public static final String CLASS_DATA = "/parasol/classes.jsa";

  /** The user plugin code runs as, inside the sandbox's user namespace. */
  static final int UID = 1000;

  /** Files of the host's {@code /etc} the sandbox sees (read-only), when they exist. */
  static final List<String> ETC =
      List.of(
          "/etc/alternatives",
          "/etc/ld.so.cache",
          "/etc/ld.so.conf",
          "/etc/ld.so.conf.d",
          "/etc/localtime",
          "/etc/openmpi",
          "/etc/mpich");

  private static final List<String> TOP_LEVEL =
      List.of("/bin", "/sbin", "/lib", "/lib64", "/lib32");

  private Sandbox() {}

  /**
   * What a sandbox binds.
   *
   * @param pluginJar the plugin jar, seen as {@code /parasol/plugin/app.jar}
   * @param dependencies the jars it builds on, seen as {@code /parasol/plugin/base-N.jar}
   * @param inputs the run's input files, seen as {@link #INPUTS}; null when there are none
   * @param work the work directory, seen as {@link #WORK}
   * @param workerJar the worker jar, seen as {@link #WORKER_JAR}
   * @param javaHome the JDK that runs the plugin process
   * @param privateDir a directory of the supervisor's that the sandbox does not see, for the filter
   *     and the generated {@code /etc} files
   * @param classData the plugin JVM's class-data archive, seen as {@link #CLASS_DATA}; null for
   *     none
   */
  public record Layout(
      Path pluginJar,
      List<Path> dependencies,
      Path inputs,
      Path work,
      Path workerJar,
      Path javaHome,
      Path privateDir,
      Path classData) {

    /** The plugin jar's path inside. */
    public String pluginInside() {
      return PLUGIN + "/app.jar";
    }

    /** The dependencies' paths inside, in order. */
    public List<String> dependenciesInside() {
      List<String> inside = new ArrayList<>();
      for (int i = 0; i < dependencies.size(); i++) {
        inside.add(PLUGIN + "/base-" + (i + 1) + ".jar");
      }
      return inside;
    }
  }

  /**
   * Limits of one sandbox.
   *
   * @param maxFileBytes the largest file a process may write
   * @param maxOpenFiles the most open files per process
   */
  public record Rlimits(long maxFileBytes, int maxOpenFiles) {}

  /** Where the sandbox tool is, if it is installed. */
  public static Optional<Path> bwrap() {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
      Path p = Path.of(dir, "bwrap");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Why plugin code cannot be confined on this machine, or empty when it can: bubblewrap must be
   * installed, able to create the namespaces (unprivileged user namespaces, or root), and the
   * architecture one the seccomp filter knows.
   */
  public static Optional<String> unavailable() {
    Optional<Path> bwrap = bwrap();
    if (bwrap.isEmpty()) {
      return Optional.of(
          "bubblewrap is not installed: install it (Debian and Ubuntu: apt-get install bubblewrap;"
              + " RHEL and Fedora: dnf install bubblewrap) so that plugin code runs confined");
    }
    if (SeccompFilter.forThisMachine().isEmpty()) {
      return Optional.of(
          "the sandbox has no seccomp filter for the architecture "
              + System.getProperty("os.arch")
              + "; run workers on x86-64 or aarch64");
    }
    try {
      Process probe =
          new ProcessBuilder(
                  bwrap.get().toString(),
                  "--unshare-user",
                  "--unshare-pid",
                  "--unshare-net",
                  "--unshare-ipc",
                  "--unshare-uts",
                  "--cap-drop",
                  "ALL",
                  "--ro-bind",
                  "/usr",
                  "/usr",
                  "--symlink",
                  "usr/bin",
                  "/bin",
                  "--symlink",
                  "usr/lib",
                  "/lib",
                  "--symlink",
                  "usr/lib64",
                  "/lib64",
                  "--proc",
                  "/proc",
                  "--dev",
                  "/dev",
                  "/usr/bin/true")
              .redirectErrorStream(true)
              .start();
      probe.getOutputStream().close();
      byte[] said = probe.getInputStream().readNBytes(2000);
      if (!probe.waitFor(20, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        return Optional.of("bubblewrap did not start a sandbox within 20 s");
      }
      if (probe.exitValue() != 0) {
        return Optional.of(
            "bubblewrap cannot create namespaces here ("
                + new String(said, StandardCharsets.UTF_8).strip()
                + "): enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1"
                + " or user.max_user_namespaces > 0) or run the worker as root");
      }
    } catch (IOException e) {
      return Optional.of("bubblewrap could not be started: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking the sandbox");
    }
    return Optional.empty();
  }

  /**
   * The command that starts {@code inner} (a command line inside the sandbox) confined.
   *
   * @param layout what the sandbox binds
   * @param cgroupProcs the {@code cgroup.procs} files the command joins before anything else runs;
   *     empty when the run has no cgroup
   * @param rlimits the rlimits
   * @param env the environment inside (nothing else is passed)
   * @param inner the command inside, with paths as the sandbox sees them
   * @return the command line, for {@link ProcessBuilder}
   * @throws IOException when the filter or the generated files cannot be written
   */
  public static List<String> command(
      Layout layout,
      List<Path> cgroupProcs,
      Rlimits rlimits,
      Map<String, String> env,
      List<String> inner)
      throws IOException {
    Path bwrap = bwrap().orElseThrow(() -> new IOException(unavailable().orElse("no bwrap")));
    Files.createDirectories(layout.privateDir());
    Path filter = layout.privateDir().resolve("seccomp.bpf");
    Files.write(
        filter,
        SeccompFilter.forThisMachine()
            .orElseThrow(() -> new IOException("no seccomp filter for this architecture")));
    Path etc = layout.privateDir().resolve("etc");
    Files.createDirectories(etc);
    Files.writeString(
        etc.resolve("passwd"),
        "root:x:0:0:root:/nonexistent:/usr/sbin/nologin\n"
            + "parasol:x:"
            + UID
            + ":"
            + UID
            + ":Parasol plugin:"
            + WORK
            + ":/usr/sbin/nologin\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    Files.writeString(
        etc.resolve("group"), "root:x:0:\nparasol:x:" + UID + ":\nnogroup:x:65534:\n");
    Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost sandbox\n::1 localhost\n");
    Files.writeString(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files\n");
    Files.writeString(etc.resolve("hostname"), "sandbox\n");

    List<String> b = new ArrayList<>();
    b.add(bwrap.toString());
    add(b, "--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts");
    add(b, "--unshare-cgroup-try", "--disable-userns", "--die-with-parent", "--new-session");
    add(b, "--cap-drop", "ALL", "--uid", "" + UID, "--gid", "" + UID, "--hostname", "sandbox");
    add(b, "--ro-bind", "/usr", "/usr");
    for (String top : TOP_LEVEL) {
      Path p = Path.of(top);
      if (Files.isSymbolicLink(p)) {
        add(b, "--symlink", Files.readSymbolicLink(p).toString(), top);
      } else if (Files.isDirectory(p)) {
        add(b, "--ro-bind", top, top);
      }
    }
    for (String dir : systemDirsOf(layout.javaHome())) {
      add(b, "--ro-bind", dir, dir);
    }
    for (String path : ETC) {
      if (Files.exists(Path.of(path))) {
        add(b, "--ro-bind", path, path);
      }
    }
    for (String name : List.of("passwd", "group", "hosts", "nsswitch.conf", "hostname")) {
      add(b, "--ro-bind", etc.resolve(name).toString(), "/etc/" + name);
    }
    add(b, "--proc", "/proc", "--dev", "/dev");
    Path tmp = layout.work().resolve("tmp");
    Files.createDirectories(tmp);
    add(b, "--dir", "/parasol", "--dir", PLUGIN);
    add(b, "--ro-bind", layout.workerJar().toString(), WORKER_JAR);
    if (layout.classData() != null) {
      add(b, "--ro-bind", layout.classData().toString(), CLASS_DATA);
    }
    add(b, "--ro-bind", layout.pluginJar().toString(), layout.pluginInside());
    List<String> deps = layout.dependenciesInside();
    for (int i = 0; i < deps.size(); i++) {
      add(b, "--ro-bind", layout.dependencies().get(i).toString(), deps.get(i));
    }
    if (layout.inputs() != null && Files.isDirectory(layout.inputs())) {
      add(b, "--ro-bind", layout.inputs().toString(), INPUTS);
    }
    add(b, "--bind", layout.work().toString(), WORK);
    add(b, "--bind", tmp.toString(), "/tmp");
    add(b, "--remount-ro", "/");
    add(b, "--chdir", WORK, "--clearenv");
    env.forEach((k, v) -> add(b, "--setenv", k, v));
    add(b, "--seccomp", "3", "--");
    b.addAll(inner);

    // a shell joins the cgroup and opens the filter as descriptor 3, then becomes prlimit, which
    // becomes bwrap: nothing the run starts escapes either
    StringBuilder script = new StringBuilder();
    for (Path procs : cgroupProcs) {
      script.append("echo $$ > ").append(quote(procs.toString())).append(" && ");
    }
    script.append("exec 3< ").append(quote(filter.toString())).append(" && exec \"$@\"");
    List<String> command = new ArrayList<>();
    add(command, "/bin/sh", "-c", script.toString(), "sandbox");
    Path prlimit = Path.of("/usr/bin/prlimit");
    if (Files.isExecutable(prlimit)) {
      add(
          command,
          prlimit.toString(),
          "--fsize=" + rlimits.maxFileBytes(),
          "--core=0",
          "--nofile=" + rlimits.maxOpenFiles() + ":" + rlimits.maxOpenFiles(),
          "--");
    }
    command.addAll(b);
    return command;
  }

  /**
   * The directories outside {@code /usr} that a JDK needs: its own home, and the places its
   * symbolic links point to (Debian's JDK links its configuration to {@code /etc/java-17-openjdk}).
   */
  static Set<String> systemDirsOf(Path javaHome) throws IOException {
    Set<String> dirs = new LinkedHashSet<>();
    Path home = javaHome.toRealPath();
    if (!home.startsWith("/usr/")) {
      dirs.add(home.toString());
    }
    try (var walk = Files.walk(home)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(p)) {
          Path target;
          try {
            target = p.toRealPath();
          } catch (IOException e) {
            continue; // a dangling link
          }
          if (!target.startsWith("/usr/")
              && !target.startsWith(home)
              && target.getNameCount() >= 2) {
            dirs.add(target.getRoot().resolve(target.subpath(0, 2)).toString());
          }
        }
      }
    }
    return dirs;
  }

  /** Makes the supervisor's private directory readable by nobody else. */
  static void restrict(Path dir) throws IOException {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }

  static boolean isLink(Path p) {
    return Files.isSymbolicLink(p) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void add(List<String> list, String... items) {
    list.addAll(List.of(items));
  }
}
