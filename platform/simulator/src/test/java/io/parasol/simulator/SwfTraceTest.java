package io.parasol.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The sample trace (Lublin–Feitelson model, 256 processors) reads completely and correctly. */
class SwfTraceTest {

  @Test
  void theSampleTraceHasItsTenThousandJobs() throws IOException {
    SwfTrace trace;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                SwfTraceTest.class.getResourceAsStream("/traces/lublin_256.swf"),
                StandardCharsets.US_ASCII))) {
      trace = SwfTrace.read(in);
    }
    assertEquals("256", trace.header().get("MaxNodes"));
    assertEquals(10_000, trace.jobs().size());
    SwfTrace.Job first = trace.jobs().get(0);
    assertEquals(new SwfTrace.Job(1, 5094, -1, 12072, 16, -1, -1, 1, -1, -1, 0, -1), first);
    assertEquals(16, first.width());
    SwfTrace.Job last = trace.jobs().get(9_999);
    assertEquals(7_711_701, last.submit());
    assertEquals(13_929, last.runTime());
    long work = trace.jobs().stream().mapToLong(SwfTrace.Job::runTime).sum();
    assertEquals(48_627_667, work);
    assertTrue(trace.jobs().stream().allMatch(j -> j.width() >= 1 && j.width() <= 256));
    for (int i = 1; i < trace.jobs().size(); i++) {
      assertTrue(trace.jobs().get(i).submit() >= trace.jobs().get(i - 1).submit(), "sorted");
    }
  }

  @Test
  void aBrokenLineIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SwfTrace.read(new BufferedReader(new StringReader("; MaxNodes: 4\n1 2 3\n"))));
    assertEquals("line 2: a job has 18 fields, this line has 3", e.getMessage());
  }
}
