package io.parasol.worker.monitor;

/**
 * The fields of a Linux {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat} line that the
 * sampler uses. The command name may hold spaces and parentheses, so fields are counted from the
 * last closing parenthesis.
 *
 * @param state the scheduler state letter ({@code R}, {@code S}, {@code D}...)
 * @param cpuTicks user plus system time, in clock ticks
 * @param threads the number of threads (of the process; 1 for a task line)
 * @param rssPages resident pages
 */
record ProcStat(char state, long cpuTicks, long threads, long rssPages) {

  /**
   * Parses one stat line.
   *
   * @throws IllegalArgumentException when the line is not a stat line
   */
  static ProcStat parse(String line) {
    int close = line.lastIndexOf(')');
    if (close < 0 || close + 2 >= line.length()) {
      throw new IllegalArgumentException("not a /proc stat line");
    }
    // After "pid (comm) ": state is field 3; utime 14, stime 15, num_threads 20, rss 24.
    String[] f = line.substring(close + 2).trim().split(" +");
    if (f.length < 22) {
      throw new IllegalArgumentException("a /proc stat line with too few fields");
    }
    return new ProcStat(
        f[0].charAt(0),
        Long.parseLong(f[11]) + Long.parseLong(f[12]),
        Long.parseLong(f[17]),
        Long.parseLong(f[21]));
  }
}
