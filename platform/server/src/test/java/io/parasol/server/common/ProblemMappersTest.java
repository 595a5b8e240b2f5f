package io.parasol.server.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures are a database outage (503), and how client text is cut. */
class ProblemMappersTest {

  @Test
  void connectionFailuresAnywhereInTheCausesAreAnOutage() {
    assertTrue(
        ProblemMappers.isDatabaseUnavailable(
            new PersistenceException(
                new JDBCConnectionException("no connection", new SQLException("x", "08001")))));
    assertTrue(
        ProblemMappers.isDatabaseUnavailable(
            new RuntimeException(new SQLException("refused", "08006", new ConnectException()))));
    assertTrue(
        ProblemMappers.isDatabaseUnavailable(
            new RuntimeException(new SQLTransientConnectionException("pool closed"))));
    assertTrue(
        ProblemMappers.isDatabaseUnavailable(
            new SQLException("terminating connection due to administrator command", "57P01")));
    assertTrue(
        ProblemMappers.isDatabaseUnavailable(new SQLException("Sorry, acquisition timeout!")));
  }

  @Test
  void aFailedStatementIsNotAnOutage() {
    assertFalse(
        ProblemMappers.isDatabaseUnavailable(
            new PersistenceException(new SQLException("duplicate key", "23505"))));
    assertFalse(ProblemMappers.isDatabaseUnavailable(new IllegalStateException("bug")));
    RuntimeException cyclic = new RuntimeException("a");
    RuntimeException other = new RuntimeException("b", cyclic);
    cyclic.initCause(other);
    assertFalse(ProblemMappers.isDatabaseUnavailable(cyclic));
  }

  @Test
  void longTextIsCutWithAnEllipsisAndNoHalfSurrogate() {
    assertEquals("abc", ProblemMappers.cut("abc", 10));
    assertEquals(10, ProblemMappers.cut("x".repeat(50), 10).length());
    String emoji = "x".repeat(8) + "\uD83D\uDE00" + "yyyy";
    String cut = ProblemMappers.cut(emoji, 10);
    assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 2)));
  }
}
