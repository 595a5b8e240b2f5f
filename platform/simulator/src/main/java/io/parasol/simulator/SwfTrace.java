package io.parasol.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload in the Standard Workload Format (Feitelson's Parallel Workloads Archive): header
 * comments ({@code ; Key: value}) and one line per job with 18 whitespace-separated fields, {@code
 * -1} where unknown. The simulator replays these jobs.
 *
 * @param header the header fields, such as {@code MaxNodes}
 * @param jobs the jobs in file order
 */
public record SwfTrace(Map<String, String> header, List<Job> jobs) {

  /**
   * One job of a trace (times in seconds).
   *
   * @param id the job number
   * @param submit submit time, from the start of the trace
   * @param waitTime the wait it had on the traced system, or -1
   * @param runTime its run time
   * @param processors the processors it used
   * @param requestedProcessors the processors it asked for, or -1
   * @param requestedTime the run time it asked for (its wall-time estimate), or -1
   * @param status 1 completed, 0 failed, 5 cancelled, -1 unknown
   * @param user the user number, or -1
   * @param group the group number, or -1
   * @param queue the queue number, or -1
   * @param partition the partition number, or -1
   */
  public record Job(
      long id,
      long submit,
      long waitTime,
      long runTime,
      int processors,
      int requestedProcessors,
      long requestedTime,
      int status,
      int user,
      int group,
      int queue,
      int partition) {

    /** The processors the job needs: what it asked for, else what it used. */
    public int width() {
      return requestedProcessors > 0 ? requestedProcessors : processors;
    }
  }

  /**
   * Reads a trace.
   *
   * @throws IllegalArgumentException naming the line that is not a job of 18 numbers
   */
  public static SwfTrace read(BufferedReader in) throws IOException {
    Map<String, String> header = new LinkedHashMap<>();
    List<Job> jobs = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      String s = line.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (s.startsWith(";")) {
        int colon = s.indexOf(':');
        if (colon > 1) {
          header.put(s.substring(1, colon).strip(), s.substring(colon + 1).strip());
        }
        continue;
      }
      String[] f = s.split("\\s+");
      if (f.length != 18) {
        throw new IllegalArgumentException(
            "line " + number + ": a job has 18 fields, this line has " + f.length);
      }
      try {
        jobs.add(
            new Job(
                Long.parseLong(f[0]),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Integer.parseInt(f[4]),
                Integer.parseInt(f[7]),
                Long.parseLong(f[8]),
                Integer.parseInt(f[10]),
                Integer.parseInt(f[11]),
                Integer.parseInt(f[12]),
                Integer.parseInt(f[14]),
                Integer.parseInt(f[15])));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "line " + number + ": not a number: " + e.getMessage(), e);
      }
    }
    return new SwfTrace(Map.copyOf(header), List.copyOf(jobs));
  }
}
