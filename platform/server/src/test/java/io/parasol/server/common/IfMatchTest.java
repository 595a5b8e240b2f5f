package io.parasol.server.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** If-Match as RFC 9110 defines it. */
class IfMatchTest {

  @Test
  void aStarMatchesAnyCurrentRepresentation() {
    assertTrue(IfMatch.parse("*").orElseThrow().matches("17"));
  }

  @Test
  void tagsAreComparedStrongly() {
    IfMatch m = IfMatch.parse("\"3\", W/\"4\" ,\"5\"").orElseThrow();
    assertTrue(m.matches("3"));
    assertFalse(m.matches("4"));
    assertTrue(m.matches("5"));
    assertFalse(IfMatch.parse("W/\"3\"").orElseThrow().matches("3"));
  }

  @Test
  void absentIsNoPreconditionAndGarbageIs400() {
    assertTrue(IfMatch.parse(null).isEmpty());
    for (String bad : new String[] {"3", "\"3", "", "  ", "W/3", "\"a\u0001\""}) {
      ProblemException e = assertThrows(ProblemException.class, () -> IfMatch.parse(bad), bad);
      assertEquals(400, e.status());
    }
  }
}
