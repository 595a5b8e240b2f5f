package io.parasol.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The seccomp filter: its syscall numbers are the kernel's (checked against the installed headers
 * where they are), and the program does what ADR 0015 says, checked by running it on an interpreter
 * of classic BPF for each call. The real filter in a real sandbox is tried by the hostile plugin
 * ({@code WorkerSandboxIT}, {@code RunResourceTest}).
 */
class SeccompFilterTest {

  private static final int ALLOW = 0x7fff0000;
  private static final int EPERM = 0x00050001;
  private static final int ENOSYS = 0x00050026;
  private static final int KILL = 0x80000000;

  @Test
  void x86NumbersAreTheKernels() throws IOException {
    Path header = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    assumeTrue(Files.isReadable(header), "no kernel headers here");
    Map<String, Integer> kernel = defines(Files.readString(header), "__NR_");
    SeccompFilter.X86_64
        .numbers()
        .forEach((name, nr) -> assertEquals(kernel.get(name), nr, "x86_64 " + name));
  }

  @Test
  void aarch64NumbersAreTheKernels() throws IOException {
    Path header = Path.of("/usr/include/asm-generic/unistd.h");
    assumeTrue(Files.isReadable(header), "no kernel headers here");
    String text = Files.readString(header);
    Map<String, Integer> kernel = defines(text, "__NR_");
    kernel.putAll(defines(text, "__NR3264_"));
    SeccompFilter.AARCH64
        .numbers()
        .forEach((name, nr) -> assertEquals(kernel.get(name), nr, "aarch64 " + name));
  }

  @Test
  void everyDeniedCallIsRefusedAndOthersPass() {
    for (SeccompFilter.Arch arch :
        new SeccompFilter.Arch[] {SeccompFilter.X86_64, SeccompFilter.AARCH64}) {
      byte[] program = SeccompFilter.program(arch);
      for (String name : SeccompFilter.DENIED) {
        Integer nr = arch.numbers().get(name);
        if (nr != null) {
          assertEquals(EPERM, run(program, arch.audit(), nr, 0), arch.name() + " " + name);
        }
      }
      assertEquals(ENOSYS, run(program, arch.audit(), arch.numbers().get("clone3"), 0));
      int clone = arch.numbers().get("clone");
      // a thread or a vfork passes, a new namespace does not
      assertEquals(ALLOW, run(program, arch.audit(), clone, 0x003d0f00));
      assertEquals(ALLOW, run(program, arch.audit(), clone, 0x00004111));
      assertEquals(EPERM, run(program, arch.audit(), clone, 0x10000000 | 0x11));
      assertEquals(EPERM, run(program, arch.audit(), clone, 0x40000000));
      int personality = arch.numbers().get("personality");
      assertEquals(ALLOW, run(program, arch.audit(), personality, 0xffffffff));
      assertEquals(EPERM, run(program, arch.audit(), personality, 0x0040000));
      // read, write, openat, futex: allowed
      for (int nr : new int[] {0, 1, 63, 64, 98, 202, 257}) {
        if (!arch.numbers().containsValue(nr)) {
          assertEquals(ALLOW, run(program, arch.audit(), nr, 0), arch.name() + " nr " + nr);
        }
      }
      // another architecture's calls are killed
      assertEquals(KILL, run(program, 0x40000003, 1, 0));
    }
    // x32 calls on x86-64
    assertEquals(
        EPERM, run(SeccompFilter.program(SeccompFilter.X86_64), 0xc000003e, 0x40000001, 0));
  }

  @Test
  void thisMachineHasAFilter() {
    String arch = System.getProperty("os.arch");
    assumeTrue("amd64".equals(arch) || "aarch64".equals(arch));
    assertTrue(SeccompFilter.forThisMachine().isPresent());
    assertEquals(0, SeccompFilter.forThisMachine().get().length % 8);
  }

  private static Map<String, Integer> defines(String text, String prefix) {
    Map<String, Integer> map = new HashMap<>();
    Matcher m =
        Pattern.compile("#define " + Pattern.quote(prefix) + "(\\w+)\\s+(\\d+)").matcher(text);
    while (m.find()) {
      map.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    return map;
  }

  /** A classic BPF interpreter for the instructions the filter uses, over seccomp_data. */
  static int run(byte[] program, int arch, int nr, int arg0) {
    ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    data.putInt(0, nr).putInt(4, arch).putLong(16, arg0 & 0xffffffffL);
    ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
    int a = 0;
    int pc = 0;
    for (int steps = 0; steps < 10_000; steps++) {
      int base = pc * 8;
      int op = code.getShort(base) & 0xffff;
      int jt = code.get(base + 2) & 0xff;
      int jf = code.get(base + 3) & 0xff;
      int k = code.getInt(base + 4);
      switch (op) {
        case 0x20 -> {
          a = data.getInt(k);
          pc++;
        }
        case 0x15 -> pc += 1 + (a == k ? jt : jf);
        case 0x35 -> pc += 1 + (Integer.compareUnsigned(a, k) >= 0 ? jt : jf);
        case 0x45 -> pc += 1 + ((a & k) != 0 ? jt : jf);
        case 0x06 -> {
          return k;
        }
        default -> throw new AssertionError("unexpected opcode " + op);
      }
    }
    throw new AssertionError("the program does not end");
  }
}
