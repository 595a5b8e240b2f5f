package io.parasol.server.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The server replicas sharing one database: each beats its heart in {@code server_replica}, so the
 * others can tell when it died with runs half-submitted.
 */
@ApplicationScoped
public class ReplicaRegistry {

  /** A replica silent this long is dead. */
  static final Duration DEAD_AFTER = Duration.ofSeconds(15);

  /**
   * The replica's identity: its host and HTTP port, the same across its restarts, so that a
   * restarted replica knows its own runs at once (and adopts them), while a sibling on the same
   * host, on another port, keeps its own. Replicas on other hosts differ by host name.
   */
  private final String id =
      host()
          + ":"
          + org.eclipse.microprofile.config.ConfigProvider.getConfig()
              .getOptionalValue("quarkus.http.port", Integer.class)
              .orElse(8080);

  private volatile Instant lastBeat = Instant.EPOCH;

  /** This replica's id. */
  public String id() {
    return id;
  }

  /** Records that this replica is alive (at most once a second). */
  void heartbeat() {
    Instant now = Instant.now();
    if (Duration.between(lastBeat, now).toMillis() < 1000) {
      return;
    }
    lastBeat = now;
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              int updated =
                  Run.getEntityManager()
                      .createNativeQuery(
                          "update server_replica set heartbeat_at = ?1 where id = ?2")
                      .setParameter(1, now)
                      .setParameter(2, id)
                      .executeUpdate();
              if (updated == 0) {
                Run.getEntityManager()
                    .createNativeQuery(
                        "insert into server_replica (id, host, started_at, heartbeat_at)"
                            + " values (?1, ?2, ?3, ?3)")
                    .setParameter(1, id)
                    .setParameter(2, host())
                    .setParameter(3, now)
                    .executeUpdate();
              }
            });
  }

  /** The replicas that beat lately, this one included. */
  @SuppressWarnings("unchecked")
  List<String> alive() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                (List<String>)
                    Run.getEntityManager()
                        .createNativeQuery("select id from server_replica where heartbeat_at >= ?1")
                        .setParameter(1, Instant.now().minus(DEAD_AFTER))
                        .getResultList());
  }

  /** Leaves the registry on a clean shutdown. */
  void leave() {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Run.getEntityManager()
                    .createNativeQuery("delete from server_replica where id = ?1")
                    .setParameter(1, id)
                    .executeUpdate());
  }

  private static String host() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name.length() > 40 ? name.substring(0, 40) : name;
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
