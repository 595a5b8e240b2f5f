package io.parasol.server.tenancy;

/**
 * Who is calling, passed explicitly from resources to services: tenancy is never read from a global
 * inside a service.
 *
 * @param name the user name
 * @param org the user's organisation (tenant or vendor); {@code parasol} for admins
 * @param role the user's role
 * @param origin the client address the request came from, for the audit log
 */
public record Caller(String name, String org, Role role, String origin) {

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /**
   * Whether this caller may see a resource owned by {@code owner}: its own org, or any for admins.
   */
  public boolean canSee(String owner) {
    return isAdmin() || org.equals(owner);
  }

  /** The bootstrap actor that publishes the bundled example apps on first start. */
  public static Caller system(String org) {
    return new Caller("parasol-bootstrap", org, Role.ADMIN, "local");
  }
}
