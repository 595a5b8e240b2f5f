package io.parasol.server.audit;

import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.Caller;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit log: other features record security-relevant actions here, in the transaction of the
 * action itself; admins read it.
 */
@ApplicationScoped
public class AuditService {

  /**
   * An audit entry as the API shows it.
   *
   * @param id the entry id
   * @param at when
   * @param actor who
   * @param actorOrg their organisation
   * @param actorRole their role
   * @param action what, such as {@code plugin.approve} or {@code run.read}
   * @param targetType the kind of resource
   * @param targetId its id
   * @param targetOrg the organisation that owns it
   * @param detail more, such as a rejection reason
   * @param origin the client address
   */
  public record Entry(
      long id,
      Instant at,
      String actor,
      String actorOrg,
      String actorRole,
      String action,
      String targetType,
      String targetId,
      String targetOrg,
      String detail,
      String origin) {}

  /** Records an action; joins the caller's transaction. */
  @Transactional(Transactional.TxType.REQUIRED)
  public void record(
      Caller caller,
      String action,
      String targetType,
      String targetId,
      String targetOrg,
      String detail) {
    AuditEvent e = new AuditEvent();
    e.at = Instant.now();
    e.actor = caller.name();
    e.actorOrg = caller.org();
    e.actorRole = caller.role().id();
    e.action = action;
    e.targetType = targetType;
    e.targetId = targetId;
    e.targetOrg = targetOrg;
    e.detail = detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
    e.origin = caller.origin();
    e.persist();
  }

  /** Records an admin's read of another organisation's resource; nothing for anyone else. */
  public void recordAdminRead(Caller caller, String targetType, String targetId, String targetOrg) {
    if (caller.isAdmin() && !caller.org().equals(targetOrg)) {
      record(caller, targetType + ".read", targetType, targetId, targetOrg, null);
    }
  }

  /** Lists entries, newest first, filtered by actor, action and time. */
  @Transactional
  public Page<Entry> list(
      Caller caller,
      Optional<String> actor,
      Optional<String> action,
      Optional<Instant> since,
      int page,
      int size) {
    if (!caller.isAdmin()) {
      throw ProblemException.forbidden("only admins read the audit log");
    }
    Page.check(page, size);
    List<String> where = new ArrayList<>();
    Parameters params = new Parameters();
    actor.ifPresent(
        a -> {
          where.add("actor = :actor");
          params.and("actor", a);
        });
    action.ifPresent(
        a -> {
          where.add("action = :action");
          params.and("action", a);
        });
    since.ifPresent(
        s -> {
          where.add("at >= :since");
          params.and("since", s);
        });
    String query =
        (where.isEmpty() ? "" : String.join(" and ", where)) + " order by at desc, id desc";
    var found = AuditEvent.<AuditEvent>find(query.strip(), params);
    long total = found.count();
    List<Entry> items =
        found.page(page, size).list().stream()
            .map(
                e ->
                    new Entry(
                        e.id,
                        e.at,
                        e.actor,
                        e.actorOrg,
                        e.actorRole,
                        e.action,
                        e.targetType,
                        e.targetId,
                        e.targetOrg,
                        e.detail,
                        e.origin))
            .toList();
    return new Page<>(items, page, size, total);
  }
}
