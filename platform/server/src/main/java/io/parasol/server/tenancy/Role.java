package io.parasol.server.tenancy;

import java.util.Locale;

/** The realm roles of Parasol. */
public enum Role {
  /** A member of a tenant org: launches runs, owns files and balances. */
  ENGINEER,
  /** A member of a vendor org: uploads and publishes plugins. */
  ISV,
  /** A platform administrator: reviews listings, sees every org. */
  ADMIN;

  /** The role name as used in tokens and {@code @RolesAllowed}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static final String ENGINEER_ID = "engineer";
  public static final String ISV_ID = "isv";
  public static final String ADMIN_ID = "admin";
}
