package io.parasol.server.storage;

import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The caller's workspace files, used as run inputs. */
@Path("/api/v1/files")
@Tag(name = "Files")
@RolesAllowed(Role.ENGINEER_ID)
public class FileResource {

  /**
   * A workspace file.
   *
   * @param name the file name
   * @param sizeBytes the size
   * @param sha256 the content hash
   * @param createdBy who uploaded it
   * @param createdAt when
   */
  public record FileView(
      String name, long sizeBytes, String sha256, String createdBy, Instant createdAt) {
    static FileView of(StoredFile f) {
      return new FileView(f.name(), f.sizeBytes(), f.sha256(), f.createdBy(), f.createdAt());
    }
  }

  private final StorageService storage;
  private final CallerResolver callers;

  FileResource(StorageService storage, CallerResolver callers) {
    this.storage = storage;
    this.callers = callers;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(operationId = "listFiles", summary = "List the files in your org's workspace")
  public List<FileView> list() {
    return storage.list(callers.caller()).stream().map(FileView::of).toList();
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "uploadFile",
      summary = "Upload a file (multipart field 'file', optional field 'name')")
  public Response upload(@RestForm("file") FileUpload file, @RestForm("name") String name) {
    if (file == null) {
      throw ProblemException.invalid(
          "file", "is required: send the file as multipart field 'file'");
    }
    String target = name == null || name.isBlank() ? file.fileName() : name;
    StoredFile stored = storage.upload(callers.caller(), target, file.uploadedFile());
    return Response.created(URI.create("/api/v1/files/" + stored.name()))
        .entity(FileView.of(stored))
        .build();
  }

  @GET
  @Path("{name}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  @Operation(operationId = "downloadFile", summary = "Download a workspace file")
  public Response download(@PathParam("name") String name) {
    StoredFile file = storage.get(callers.caller(), name);
    return Response.ok(file.path().toFile())
        .header("Content-Disposition", "attachment; filename=\"" + file.name() + "\"")
        .header("Content-Length", file.sizeBytes())
        .build();
  }

  @DELETE
  @Path("{name}")
  @Operation(operationId = "deleteFile", summary = "Delete a workspace file")
  public Response delete(@PathParam("name") String name) {
    storage.delete(callers.caller(), name);
    return Response.noContent().build();
  }
}
