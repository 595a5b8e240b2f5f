package io.parasol.server.storage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * A workspace file as other features see it.
 *
 * @param id the file id
 * @param name the file name, unique in the org
 * @param sizeBytes the size
 * @param sha256 the content hash
 * @param createdBy who uploaded it
 * @param createdAt when
 * @param path where its bytes are
 */
public record StoredFile(
    UUID id,
    String name,
    long sizeBytes,
    String sha256,
    String createdBy,
    Instant createdAt,
    Path path) {}
