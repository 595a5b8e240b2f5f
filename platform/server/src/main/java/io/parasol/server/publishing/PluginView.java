package io.parasol.server.publishing;

import io.parasol.protocol.VerificationReport;
import java.time.Instant;
import java.util.UUID;

/**
 * A plugin upload as the API shows it.
 *
 * @param id the upload id
 * @param vendor the vendor org
 * @param uploadedBy who uploaded it
 * @param fileName the uploaded file name
 * @param sha256 the jar's SHA-256
 * @param sizeBytes the jar's size
 * @param status where it stands
 * @param appId the app id, once verification read it
 * @param appVersion the app version, once verification read it
 * @param report the verification report, once there is one
 * @param reviewReason the reviewer's reason, for a rejection
 * @param reviewedBy the reviewer
 * @param createdAt when it was uploaded
 * @param updatedAt when it last changed
 * @param publishedAt when it was published
 */
public record PluginView(
    UUID id,
    String vendor,
    String uploadedBy,
    String fileName,
    String sha256,
    long sizeBytes,
    PluginStatus status,
    String appId,
    String appVersion,
    VerificationReport report,
    String reviewReason,
    String reviewedBy,
    Instant createdAt,
    Instant updatedAt,
    Instant publishedAt) {}
