package io.parasol.server.storage;

import io.parasol.server.audit.AuditService;
import io.parasol.server.common.Hashing;
import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Per-org workspace files: upload, list, download, delete; and lookup for run inputs. */
@ApplicationScoped
public class StorageService {

  private final DataDirectory data;
  private final StorageConfig config;

  private final AuditService audit;

  StorageService(DataDirectory data, StorageConfig config, AuditService audit) {
    this.data = data;
    this.config = config;
    this.audit = audit;
  }

  public long maxFileBytes() {
    return config.maxFileBytes().asLongValue();
  }

  /** Stores an uploaded file under {@code name} in the caller's workspace. */
  @Transactional
  public StoredFile upload(Caller caller, String name, Path upload) {
    FileNames.require("name", name);
    if (WorkspaceFile.findByName(caller.org(), name).isPresent()) {
      throw ProblemException.conflict(
          "a file named " + name + " already exists in your workspace; delete it first");
    }
    if (WorkspaceFile.countByOrg(caller.org()) >= config.maxFilesPerOrg()) {
      throw ProblemException.conflict(
          "your workspace holds the maximum of " + config.maxFilesPerOrg() + " files");
    }
    UUID id = UUID.randomUUID();
    Path target = data.workspaceFile(caller.org(), id);
    String sha;
    long size;
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(data.tmp(), "upload-", ".part");
      try (InputStream in = Files.newInputStream(upload);
          OutputStream out = Files.newOutputStream(tmp)) {
        sha = Hashing.copyAndHash(in, out, maxFileBytes());
      } catch (Hashing.LimitExceededException e) {
        Files.deleteIfExists(tmp);
        throw ProblemException.tooLarge(
            "the file is larger than the limit of " + maxFileBytes() + " bytes");
      }
      size = Files.size(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    WorkspaceFile file = new WorkspaceFile();
    file.id = id;
    file.org = caller.org();
    file.name = name;
    file.sizeBytes = size;
    file.sha256 = sha;
    file.createdBy = caller.name();
    file.createdAt = Instant.now();
    file.persist();
    audit.record(caller, "file.upload", "file", file.name, file.org, size + " bytes sha256 " + sha);
    return view(file);
  }

  @Transactional
  public List<StoredFile> list(Caller caller) {
    return WorkspaceFile.listByOrg(caller.org()).stream().map(this::view).toList();
  }

  @Transactional
  public StoredFile get(Caller caller, String name) {
    return find(caller.org(), name).orElseThrow(() -> ProblemException.notFound("file " + name));
  }

  /** Finds a file of an org by name (for run inputs). */
  @Transactional
  public Optional<StoredFile> find(String org, String name) {
    if (!FileNames.isValid(name)) {
      return Optional.empty();
    }
    return WorkspaceFile.findByName(org, name).map(this::view);
  }

  @Transactional
  public void delete(Caller caller, String name) {
    WorkspaceFile file =
        WorkspaceFile.findByName(caller.org(), name)
            .orElseThrow(() -> ProblemException.notFound("file " + name));
    Path path = data.workspaceFile(file.org, file.id);
    file.delete();
    audit.record(caller, "file.delete", "file", file.name, file.org, null);
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private StoredFile view(WorkspaceFile f) {
    return new StoredFile(
        f.id,
        f.name,
        f.sizeBytes,
        f.sha256,
        f.createdBy,
        f.createdAt,
        data.workspaceFile(f.org, f.id));
  }
}
