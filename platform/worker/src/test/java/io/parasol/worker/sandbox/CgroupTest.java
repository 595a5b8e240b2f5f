package io.parasol.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup files a sandbox's group gets, on a v1 layout (a hierarchy per controller, the group
 * under the supervisor's own) and a v2 layout (one hierarchy), written into a directory that stands
 * for {@code /sys/fs/cgroup}. The real kernel's groups are used by the sandbox tests.
 */
class CgroupTest {

  @TempDir Path mount;

  private static final Cgroup.Limits LIMITS = new Cgroup.Limits(300L << 20, 512, 2);

  @Test
  void v1GroupsSitUnderTheSupervisorsOwnInEachController() throws IOException {
    for (String c : List.of("memory", "pids", "cpu")) {
      Files.createDirectories(mount.resolve(c).resolve("job/42"));
      Files.writeString(mount.resolve(c).resolve("cgroup.procs"), "");
    }
    Path self = mount.resolve("self-cgroup");
    Files.writeString(self, "8:pids:/job/42\n4:memory:/job/42\n1:cpu,cpuacct:/job/42\n0::/\n");
    List<String> warnings = new ArrayList<>();
    Optional<Cgroup> group = Cgroup.create(mount, self, null, "run/1", LIMITS, warnings::add);
    assertTrue(group.isPresent(), warnings.toString());
    Path mem = mount.resolve("memory/job/42/parasol-run_1");
    assertEquals(Long.toString(300L << 20), Files.readString(mem.resolve("memory.limit_in_bytes")));
    assertEquals("512", Files.readString(mount.resolve("pids/job/42/parasol-run_1/pids.max")));
    assertEquals(
        "200000", Files.readString(mount.resolve("cpu/job/42/parasol-run_1/cpu.cfs_quota_us")));
    assertEquals("v1", group.get().version());
    assertEquals(3, group.get().procsFiles().size());

    assertFalse(group.get().outOfMemory());
    Files.writeString(
        mem.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    assertTrue(group.get().outOfMemory());
    Files.writeString(mount.resolve("pids/job/42/parasol-run_1/pids.events"), "max 3\n");
    assertTrue(group.get().tooManyTasks());
  }

  @Test
  void v2GroupsGetTheirControllersEnabled() throws IOException {
    Files.writeString(mount.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    Files.writeString(mount.resolve("cgroup.subtree_control"), "");
    Path root = mount.resolve("parasol");
    Files.createDirectories(root);
    Files.writeString(root.resolve("cgroup.subtree_control"), "");
    List<String> warnings = new ArrayList<>();
    Optional<Cgroup> group =
        Cgroup.create(mount, mount.resolve("none"), null, "r1", LIMITS, warnings::add);
    assertTrue(group.isPresent(), warnings.toString());
    Path dir = root.resolve("parasol-r1");
    assertEquals(Long.toString(300L << 20), Files.readString(dir.resolve("memory.max")));
    assertEquals("512", Files.readString(dir.resolve("pids.max")));
    assertEquals("200000 100000", Files.readString(dir.resolve("cpu.max")));
    assertEquals("v2", group.get().version());
    Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
    assertTrue(group.get().outOfMemory());
  }

  @Test
  void withoutControllersThereIsNoGroupAndAWarning() {
    List<String> warnings = new ArrayList<>();
    assertTrue(
        Cgroup.create(mount, mount.resolve("none"), null, "r", LIMITS, warnings::add).isEmpty());
    assertEquals(1, warnings.size());
  }

  @Test
  void theOwnGroupIsReadPerController() {
    List<String> self = List.of("9:name=systemd:/", "4:memory:/a/b", "1:cpu,cpuacct:/c");
    assertEquals("a/b", Cgroup.relative(self, "memory"));
    assertEquals("c", Cgroup.relative(self, "cpu"));
    assertEquals("", Cgroup.relative(self, "pids"));
  }
}
