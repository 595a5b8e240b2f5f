package io.parasol.worker.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The seccomp filter of the plugin sandbox, as the classic BPF program {@code bwrap --seccomp FD}
 * loads. It is a deny list on top of the namespaces and the dropped capabilities (which already
 * make most of these calls fail): tracing other processes, mounting, BPF, the kernel keyring,
 * performance events, loading kernels or modules, userfaultfd, personality changes (only the query
 * {@code personality(0xffffffff)} passes), and new namespaces ({@code unshare}, {@code setns},
 * {@code clone} with a {@code CLONE_NEW*} flag; {@code clone3}, whose flags a classic filter cannot
 * read, answers ENOSYS so that the C library falls back to {@code clone}). A call of another
 * architecture than the JVM's (i386 or x32 on x86-64) is refused whole.
 *
 * <p>Denied calls fail with EPERM rather than killing the process, so that plugin code sees an
 * error it can report. The syscall numbers are those of the kernel's tables for x86-64 and aarch64
 * (checked against the installed kernel headers by the tests). See ADR 0015.
 */
public final class SeccompFilter {

  /** The calls denied with EPERM, by name. */
  public static final List<String> DENIED =
      List.of(
          "ptrace",
          "process_vm_readv",
          "process_vm_writev",
          "kcmp",
          "mount",
          "umount2",
          "pivot_root",
          "chroot",
          "move_mount",
          "open_tree",
          "fsopen",
          "fsconfig",
          "fsmount",
          "fspick",
          "mount_setattr",
          "bpf",
          "keyctl",
          "add_key",
          "request_key",
          "perf_event_open",
          "userfaultfd",
          "kexec_load",
          "kexec_file_load",
          "init_module",
          "finit_module",
          "delete_module",
          "unshare",
          "setns",
          "swapon",
          "swapoff",
          "reboot",
          "acct",
          "settimeofday",
          "clock_settime",
          "adjtimex",
          "clock_adjtime",
          "syslog",
          "name_to_handle_at",
          "open_by_handle_at",
          "quotactl",
          "lookup_dcookie",
          "vhangup",
          "iopl",
          "ioperm",
          "uselib");

  /**
   * Every namespace flag of clone(2): CLONE_NEWNS, _NEWCGROUP, _NEWUTS, _NEWIPC, _NEWUSER, _NEWPID,
   * _NEWNET, _NEWTIME.
   */
  static final int CLONE_NEW_FLAGS =
      0x00020000
          | 0x02000000
          | 0x04000000
          | 0x08000000
          | 0x10000000
          | 0x20000000
          | 0x40000000
          | 0x00000080;

  private static final int EPERM = 1;
  private static final int ENOSYS = 38;

  // classic BPF opcodes
  private static final short LD_W_ABS = 0x20;
  private static final short JEQ_K = 0x15;
  private static final short JGE_K = 0x35;
  private static final short JSET_K = 0x45;
  private static final short RET_K = 0x06;

  private static final int RET_ALLOW = 0x7fff0000;
  private static final int RET_ERRNO = 0x00050000;
  private static final int RET_KILL_PROCESS = 0x80000000;

  // offsets in struct seccomp_data
  private static final int OFF_NR = 0;
  private static final int OFF_ARCH = 4;
  private static final int OFF_ARG0_LOW = 16;

  /** One architecture's audit value and syscall numbers. */
  record Arch(String name, int audit, Map<String, Integer> numbers, boolean x32Bit) {}

  static final Arch X86_64 =
      new Arch(
          "x86_64",
          0xc000003e,
          table(
              "ptrace 101 process_vm_readv 310 process_vm_writev 311 kcmp 312 mount 165 umount2 166"
                  + " pivot_root 155 chroot 161 move_mount 429 open_tree 428 fsopen 430 fsconfig 431"
                  + " fsmount 432 fspick 433 mount_setattr 442 bpf 321 keyctl 250 add_key 248"
                  + " request_key 249 perf_event_open 298 userfaultfd 323 kexec_load 246"
                  + " kexec_file_load 320 init_module 175 finit_module 313 delete_module 176"
                  + " unshare 272 setns 308 swapon 167 swapoff 168 reboot 169 acct 163"
                  + " settimeofday 164 clock_settime 227 adjtimex 159 clock_adjtime 305 syslog 103"
                  + " name_to_handle_at 303 open_by_handle_at 304 quotactl 179 lookup_dcookie 212"
                  + " vhangup 153 iopl 172 ioperm 173 uselib 134 personality 135 clone 56"
                  + " clone3 435"),
          true);

  static final Arch AARCH64 =
      new Arch(
          "aarch64",
          0xc00000b7,
          table(
              "ptrace 117 process_vm_readv 270 process_vm_writev 271 kcmp 272 mount 40 umount2 39"
                  + " pivot_root 41 chroot 51 move_mount 429 open_tree 428 fsopen 430 fsconfig 431"
                  + " fsmount 432 fspick 433 mount_setattr 442 bpf 280 keyctl 219 add_key 217"
                  + " request_key 218 perf_event_open 241 userfaultfd 282 kexec_load 104"
                  + " kexec_file_load 294 init_module 105 finit_module 273 delete_module 106"
                  + " unshare 97 setns 268 swapon 224 swapoff 225 reboot 142 acct 89"
                  + " settimeofday 170 clock_settime 112 adjtimex 171 clock_adjtime 266 syslog 116"
                  + " name_to_handle_at 264 open_by_handle_at 265 quotactl 60 lookup_dcookie 18"
                  + " vhangup 58 personality 92 clone 220 clone3 435"),
          false);

  private SeccompFilter() {}

  /** The architecture this JVM runs on, if the filter knows it. */
  static Optional<Arch> current() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> Optional.of(X86_64);
      case "aarch64", "arm64" -> Optional.of(AARCH64);
      default -> Optional.empty();
    };
  }

  /**
   * The filter for this JVM's architecture.
   *
   * @return the BPF program, in the machine's byte order, or empty on an architecture the filter
   *     does not know (the sandbox then refuses to start)
   */
  public static Optional<byte[]> forThisMachine() {
    return current().map(SeccompFilter::program);
  }

  /** The program for one architecture. */
  static byte[] program(Arch arch) {
    List<int[]> code = new ArrayList<>();
    // wrong architecture (i386 through int 0x80 on x86-64, for example): kill
    code.add(stmt(LD_W_ABS, OFF_ARCH));
    code.add(jump(JEQ_K, arch.audit(), 1, 0));
    code.add(stmt(RET_K, RET_KILL_PROCESS));
    code.add(stmt(LD_W_ABS, OFF_NR));
    if (arch.x32Bit()) {
      // x32 system calls carry bit 30
      code.add(jump(JGE_K, 0x40000000, 0, 1));
      code.add(stmt(RET_K, RET_ERRNO | EPERM));
    }
    for (String name : DENIED) {
      Integer nr = arch.numbers().get(name);
      if (nr == null) {
        continue; // iopl, ioperm and uselib do not exist on aarch64
      }
      code.add(jump(JEQ_K, nr, 0, 1));
      code.add(stmt(RET_K, RET_ERRNO | EPERM));
    }
    code.add(jump(JEQ_K, arch.numbers().get("clone3"), 0, 1));
    code.add(stmt(RET_K, RET_ERRNO | ENOSYS));
    // personality: only the query 0xffffffff
    code.add(jump(JEQ_K, arch.numbers().get("personality"), 0, 4));
    code.add(stmt(LD_W_ABS, OFF_ARG0_LOW));
    code.add(jump(JEQ_K, 0xffffffff, 1, 0));
    code.add(stmt(RET_K, RET_ERRNO | EPERM));
    code.add(stmt(RET_K, RET_ALLOW));
    // clone with a namespace flag
    code.add(jump(JEQ_K, arch.numbers().get("clone"), 0, 3));
    code.add(stmt(LD_W_ABS, OFF_ARG0_LOW));
    code.add(jump(JSET_K, CLONE_NEW_FLAGS, 0, 1));
    code.add(stmt(RET_K, RET_ERRNO | EPERM));
    code.add(stmt(RET_K, RET_ALLOW));

    ByteBuffer out = ByteBuffer.allocate(code.size() * 8).order(ByteOrder.nativeOrder());
    for (int[] insn : code) {
      out.putShort((short) insn[0]);
      out.put((byte) insn[1]);
      out.put((byte) insn[2]);
      out.putInt(insn[3]);
    }
    return out.array();
  }

  private static int[] stmt(short code, int k) {
    return new int[] {code, 0, 0, k};
  }

  private static int[] jump(short code, int k, int jt, int jf) {
    return new int[] {code, jt, jf, k};
  }

  private static Map<String, Integer> table(String pairs) {
    String[] parts = pairs.trim().split("\\s+");
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i += 2) {
      map.put(parts[i], Integer.parseInt(parts[i + 1]));
    }
    return Map.copyOf(map);
  }
}
