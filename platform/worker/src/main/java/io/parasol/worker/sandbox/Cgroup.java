package io.parasol.worker.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cgroup of one sandbox: memory for the whole process tree (no swap beyond it), a limit on
 * processes and threads (fork bombs), and CPU time for the allocated cores. Works with cgroup v2
 * (one hierarchy with the {@code memory}, {@code pids} and {@code cpu} controllers) and v1 (one
 * hierarchy per controller), whichever the machine mounts.
 *
 * <p>v1: the run's group is a child of the supervisor's own group in each controller, so that any
 * limit above (a Slurm job's, a service's) still holds. v2: a child of the configured root ({@code
 * /sys/fs/cgroup/parasol} by default), since a v2 group that holds processes cannot hand
 * controllers to children.
 */
public final class Cgroup implements AutoCloseable {

  /**
   * Limits of one group.
   *
   * @param memoryBytes memory of the whole tree, page cache and kernel memory included
   * @param maxTasks processes and threads together
   * @param cores CPU time, in cores (a quota per 100 ms period)
   */
  public record Limits(long memoryBytes, int maxTasks, double cores) {}

  private static final long PERIOD_US = 100_000;

  private final boolean v2;
  private final List<Path> dirs;
  private final Path memory;
  private final Path pids;

  private Cgroup(boolean v2, List<Path> dirs, Path memory, Path pids) {
    this.v2 = v2;
    this.dirs = dirs;
    this.memory = memory;
    this.pids = pids;
  }

  /**
   * Creates the group of a sandbox under the machine's cgroup mount.
   *
   * @param name a name unique on the machine (the run id, for example)
   * @param limits the limits
   * @param warn told why the group could not be created, when it cannot
   * @return the group, or empty when cgroups cannot be used here (not mounted, not writable)
   */
  public static Optional<Cgroup> create(String name, Limits limits, Consumer<String> warn) {
    return create(
        Path.of("/sys/fs/cgroup"), Path.of("/proc/self/cgroup"), null, name, limits, warn);
  }

  static Optional<Cgroup> create(
      Path mount, Path selfCgroup, Path v2Root, String name, Limits limits, Consumer<String> warn) {
    String group = "parasol-" + name.replaceAll("[^A-Za-z0-9_.-]", "_");
    try {
      Path unified = v2Mount(mount);
      if (unified != null) {
        Path root = v2Root != null ? v2Root : unified.resolve("parasol");
        Files.createDirectories(root);
        enable(root.getParent(), unified);
        enable(root, unified);
        Path dir = root.resolve(group);
        sweep(root);
        Files.createDirectories(dir);
        Cgroup cgroup = new Cgroup(true, List.of(dir), dir, dir);
        write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
        writeIfExists(dir.resolve("memory.swap.max"), "0");
        write(dir.resolve("pids.max"), Integer.toString(limits.maxTasks()));
        write(dir.resolve("cpu.max"), quota(limits.cores()) + " " + PERIOD_US);
        return Optional.of(cgroup);
      }
      Path memoryMount = mount.resolve("memory");
      Path pidsMount = mount.resolve("pids");
      Path cpuMount =
          Files.isDirectory(mount.resolve("cpu"))
              ? mount.resolve("cpu")
              : mount.resolve("cpu,cpuacct");
      if (!Files.exists(memoryMount.resolve("cgroup.procs"))
          || !Files.exists(pidsMount.resolve("cgroup.procs"))) {
        warn.accept(
            "no cgroup v2 with the memory, pids and cpu controllers and no v1 memory and pids hierarchies are mounted");
        return Optional.empty();
      }
      List<String> self = Files.exists(selfCgroup) ? Files.readAllLines(selfCgroup) : List.of();
      Path memDir = memoryMount.resolve(relative(self, "memory")).resolve(group);
      Path pidsDir = pidsMount.resolve(relative(self, "pids")).resolve(group);
      List<Path> dirs = new ArrayList<>(List.of(memDir, pidsDir));
      Path cpuDir = null;
      if (Files.exists(cpuMount.resolve("cgroup.procs"))) {
        cpuDir = cpuMount.resolve(relative(self, "cpu")).resolve(group);
        dirs.add(cpuDir);
      }
      for (Path d : dirs) {
        sweep(d.getParent());
        Files.createDirectories(d);
      }
      Cgroup cgroup = new Cgroup(false, List.copyOf(dirs), memDir, pidsDir);
      write(memDir.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
      writeIfExists(
          memDir.resolve("memory.memsw.limit_in_bytes"), Long.toString(limits.memoryBytes()));
      writeIfExists(memDir.resolve("memory.swappiness"), "0");
      write(pidsDir.resolve("pids.max"), Integer.toString(limits.maxTasks()));
      if (cpuDir != null) {
        write(cpuDir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
        write(cpuDir.resolve("cpu.cfs_quota_us"), quota(limits.cores()));
      }
      return Optional.of(cgroup);
    } catch (IOException | RuntimeException e) {
      warn.accept("cgroups are not writable here (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  private static String quota(double cores) {
    return Long.toString(Math.max(1000, Math.round(Math.max(0.01, cores) * PERIOD_US)));
  }

  /**
   * Removes the empty groups of earlier sandboxes whose supervisor was killed before it could (the
   * kernel refuses to remove a group that still holds a process).
   */
  static void sweep(Path parent) {
    if (!Files.isDirectory(parent)) {
      return;
    }
    try (var list = Files.list(parent)) {
      list.filter(d -> d.getFileName().toString().startsWith("parasol-"))
          .filter(Files::isDirectory)
          .forEach(
              d -> {
                try {
                  // a minute old at least: a group just made is joined a moment later
                  boolean old =
                      Files.getLastModifiedTime(d).toMillis() < System.currentTimeMillis() - 60_000;
                  if (old && Files.readString(d.resolve("cgroup.procs")).isBlank()) {
                    Files.deleteIfExists(d);
                  }
                } catch (IOException e) {
                  // in use, or not ours to remove
                }
              });
    } catch (IOException e) {
      // nothing to sweep
    }
  }

  /** The v2 mount with memory, pids and cpu controllers, or null. */
  private static Path v2Mount(Path mount) throws IOException {
    for (Path candidate : List.of(mount, mount.resolve("unified"))) {
      Path controllers = candidate.resolve("cgroup.controllers");
      if (Files.exists(controllers)) {
        List<String> have = List.of(Files.readString(controllers).trim().split("\\s+"));
        if (have.containsAll(List.of("memory", "pids", "cpu"))) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static void enable(Path dir, Path unified) throws IOException {
    if (!dir.startsWith(unified)) {
      return;
    }
    Path control = dir.resolve("cgroup.subtree_control");
    if (Files.exists(control)) {
      String enabled = Files.readString(control);
      for (String c : List.of("memory", "pids", "cpu")) {
        if (!List.of(enabled.trim().split("\\s+")).contains(c)) {
          write(control, "+" + c);
        }
      }
    }
  }

  /** The supervisor's group in a v1 controller, from /proc/self/cgroup ("4:memory:/a/b"). */
  static String relative(List<String> self, String controller) {
    for (String line : self) {
      String[] parts = line.split(":", 3);
      if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
        String path = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
        return path;
      }
    }
    return "";
  }

  /** The files a process writes its pid to, to join this group. */
  public List<Path> procsFiles() {
    return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
  }

  /** Whether the kernel killed a process of the group for memory. */
  public boolean outOfMemory() {
    if (v2) {
      return counter(memory.resolve("memory.events"), "oom_kill") > 0;
    }
    return counter(memory.resolve("memory.oom_control"), "oom_kill") > 0;
  }

  /** Whether the group hit its process limit (a fork that failed). */
  public boolean tooManyTasks() {
    return counter(pids.resolve("pids.events"), "max") > 0;
  }

  /** The memory the group holds now, in bytes, or -1. */
  public long memoryBytes() {
    Path file = memory.resolve(v2 ? "memory.current" : "memory.usage_in_bytes");
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Kills every process in the group (v2's cgroup.kill where the kernel has it). */
  public void killAll() {
    Path kill = memory.resolve("cgroup.kill");
    if (v2 && Files.exists(kill)) {
      try {
        write(kill, "1");
        return;
      } catch (IOException e) {
        // fall back to one by one
      }
    }
    for (int round = 0; round < 20; round++) {
      List<Long> left = pids();
      if (left.isEmpty()) {
        return;
      }
      left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The processes in the group now. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(memory.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.trim()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone
    }
    return pids;
  }

  /** Kills what is left and removes the group. */
  @Override
  public void close() {
    killAll();
    for (Path d : dirs) {
      for (int i = 0; i < 50; i++) {
        try {
          Files.deleteIfExists(d);
          break;
        } catch (IOException e) {
          // busy while the last processes exit
          try {
            Thread.sleep(10);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  /** For messages: which cgroup version. */
  public String version() {
    return v2 ? "v2" : "v1";
  }

  private static long counter(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 2 && parts[0].equals(key)) {
          return Long.parseLong(parts[1]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not there
    }
    return 0;
  }

  private static void write(Path file, String value) throws IOException {
    Files.writeString(file, value);
  }

  private static void writeIfExists(Path file, String value) {
    if (Files.exists(file)) {
      try {
        write(file, value);
      } catch (IOException e) {
        // optional (memsw needs swap accounting)
      }
    }
  }
}
