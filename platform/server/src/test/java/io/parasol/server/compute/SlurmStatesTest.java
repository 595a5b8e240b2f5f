package io.parasol.server.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What Slurm says about a job, as the backend reads it (checked against Slurm 22.05 output). */
class SlurmStatesTest {

  @Test
  void slurmrestdExitCodesAreRawWaitStatuses() {
    assertEquals(0, SlurmBackend.exitCode(0));
    assertEquals(3, SlurmBackend.exitCode(768), "exit 3 (out of memory in the worker)");
    assertEquals(1, SlurmBackend.exitCode(256));
    assertEquals(137, SlurmBackend.exitCode(9), "killed by SIGKILL");
    assertEquals(143, SlurmBackend.exitCode(15), "killed by SIGTERM");
  }

  @Test
  void scontrolShowJobLinesGiveStateExitCodeAndReason() {
    SlurmBackend.JobState failed =
        SlurmBackend.parseScontrol(
            "JobId=1 JobName=t1 UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=1"
                + " JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=0"
                + " Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0 RunTime=00:00:00\n");
    assertEquals("FAILED", failed.state());
    assertEquals(3, failed.exitCode());
    assertEquals("NonZeroExitCode", failed.reason());

    SlurmBackend.JobState signalled =
        SlurmBackend.parseScontrol("JobId=2 JobState=CANCELLED Reason=None ExitCode=0:15");
    assertEquals("CANCELLED", signalled.state());
    assertEquals(143, signalled.exitCode());

    SlurmBackend.JobState timeout =
        SlurmBackend.parseScontrol("JobId=3 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:0");
    assertEquals("TIMEOUT", timeout.state());
    assertEquals(0, timeout.exitCode());

    assertEquals("UNKNOWN", SlurmBackend.parseScontrol("garbage").state());
    assertEquals(-1, SlurmBackend.parseScontrol("garbage").exitCode());
  }

  @Test
  void squeueLinesOfOthersArePendingWorkPerPartitionAndTimeLimitsAreRead() {
    java.util.Map<String, ComputeBackend.Pending> pending = new java.util.HashMap<>();
    SlurmBackend.pendingLine("cpu*|4|1:00:00|sweep-17", pending);
    SlurmBackend.pendingLine("cpu|2|30:00|sweep-18", pending);
    SlurmBackend.pendingLine("gpu|8|1-00:00:00|train", pending);
    SlurmBackend.pendingLine("cpu|16|2:00:00|parasol-0b7c-1", pending); // Parasol's own: counted
    SlurmBackend.pendingLine("not a squeue line", pending); //             as its runs, not here
    assertEquals(new ComputeBackend.Pending(2, 4 * 3600 + 2 * 1800.0), pending.get("cpu"));
    assertEquals(new ComputeBackend.Pending(1, 8 * 86_400.0), pending.get("gpu"));
    assertEquals(2, pending.size());
    assertEquals(90, SlurmBackend.limitSeconds("1:30"));
    assertEquals(86_400 + 3_600 * 2, SlurmBackend.limitSeconds("1-02:00"));
    assertEquals(86_400, SlurmBackend.limitSeconds("UNLIMITED"));
  }
}
