package io.parasol.server.publishing;

/** Where an uploaded plugin version stands on its way to the catalog. */
public enum PluginStatus {
  /** A sandboxed worker is checking it. */
  VERIFYING,
  /** It passed verification; the vendor may submit it for review. */
  VERIFIED,
  /** It failed verification; the report says why. */
  VERIFICATION_FAILED,
  /** An admin is reviewing it. */
  IN_REVIEW,
  /** It is in the catalog. */
  PUBLISHED,
  /** An admin rejected it; the reason says why. */
  REJECTED,
  /** An admin took it out of the catalog. */
  UNLISTED;

  /** Whether the version still occupies its app id and version number. */
  boolean isLive() {
    return this == VERIFIED || this == IN_REVIEW || this == PUBLISHED || this == UNLISTED;
  }
}
