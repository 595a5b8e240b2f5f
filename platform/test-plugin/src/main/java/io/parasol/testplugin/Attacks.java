package io.parasol.testplugin;

import io.parasol.plugin.api.RunContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a hostile plugin tries from inside the sandbox. Each attempt is one line of the report:
 * {@code BLOCKED name: how} when the sandbox stopped it, {@code OPEN name: what it got} when it did
 * not. Paths to read come from the {@code target} input (comma-separated), ports from {@code
 * ports}.
 */
final class Attacks {

  private Attacks() {}

  static String run(RunContext context) throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>();
    List<String> paths =
        new ArrayList<>(
            List.of(
                "/root",
                "/root/.m2",
                "/etc/shadow",
                "/home",
                "/proc/1/root/etc/shadow",
                "/proc/self/root/root",
                "/var/lib/postgresql",
                "/sys/fs/cgroup"));
    for (String p : context.inputs().text("target").split(",")) {
      if (!p.isBlank()) {
        paths.add(p.strip());
      }
    }
    for (String p : paths) {
      Path path = Path.of(p);
      try {
        if (Files.isDirectory(path)) {
          try (var list = Files.list(path)) {
            long n = list.count();
            lines.add((n == 0 ? "BLOCKED" : "OPEN") + " read " + p + ": " + n + " entries");
          }
        } else {
          byte[] bytes = Files.readAllBytes(path);
          lines.add("OPEN read " + p + ": " + bytes.length + " bytes");
        }
      } catch (IOException | SecurityException e) {
        lines.add("BLOCKED read " + p + ": " + e.getClass().getSimpleName());
      }
    }
    for (String port : context.inputs().text("ports").split(",")) {
      if (port.isBlank()) {
        continue;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.strip())), 1000);
        lines.add("OPEN connect 127.0.0.1:" + port.strip());
      } catch (IOException e) {
        lines.add("BLOCKED connect 127.0.0.1:" + port.strip() + ": " + e.getMessage());
      }
    }
    // outside the work directory, nothing is writable
    for (String p :
        List.of(
            "/usr/parasol-escape", "/parasol/plugin/x", "/etc/parasol-escape", "/parasol-escape")) {
      try {
        Files.writeString(Path.of(p), "escaped");
        lines.add("OPEN write " + p);
      } catch (IOException e) {
        lines.add("BLOCKED write " + p + ": " + e.getClass().getSimpleName());
      }
    }
    // system calls the seccomp filter and the namespaces refuse (perl is part of every Debian)
    if (Files.isExecutable(Path.of("/usr/bin/perl"))) {
      String[][] calls = {
        {"ptrace", "syscall(101, 16, 1, 0, 0)"}, // PTRACE_ATTACH to pid 1
        {"unshare", "syscall(272, 0x10000000)"}, // CLONE_NEWUSER
        {
          "mount",
          "my ($s, $t, $f) = (\"none\", \"/tmp\", \"tmpfs\"); syscall(165, $s, $t, $f, 0, 0)"
        },
        {"bpf", "syscall(321, 0, 0, 0)"},
        {"keyctl", "syscall(250, 0, 0, 0, 0, 0)"},
        {"perf_event_open", "syscall(298, 0, 0, -1, -1, 0)"},
        {"userfaultfd", "syscall(323, 0)"},
        {"personality", "syscall(135, 0x0040000)"},
      };
      boolean x86 = "amd64".equals(System.getProperty("os.arch"));
      for (String[] call : calls) {
        if (!x86) {
          break;
        }
        String out =
            exec(
                "/usr/bin/perl",
                "-e",
                "my $r = do { " + call[1] + " }; print $r == -1 ? \"refused $!\" : \"ok $r\"");
        lines.add((out.startsWith("refused") ? "BLOCKED " : "OPEN ") + call[0] + ": " + out);
      }
    }
    String status = Files.readString(Path.of("/proc/self/status"));
    lines.add((status.contains("NoNewPrivs:\t1") ? "BLOCKED" : "OPEN") + " setuid: no_new_privs");
    lines.add(
        (status.contains("CapEff:\t0000000000000000") ? "BLOCKED" : "OPEN") + " capabilities");
    if (Files.isExecutable(Path.of("/usr/bin/su"))) {
      String out = exec("/usr/bin/su", "-c", "id -u", "root");
      lines.add((out.trim().equals("0") ? "OPEN" : "BLOCKED") + " su: " + out.strip());
    }
    // a symbolic link among the outputs, to a file and to the root
    Files.createSymbolicLink(context.outputDir().resolve("passwd.txt"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(context.outputDir().resolve("root"), Path.of("/"));
    return String.join("\n", lines) + "\n";
  }

  private static String exec(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readNBytes(2000);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new String(out, StandardCharsets.UTF_8).replace('\n', ' ');
  }
}
