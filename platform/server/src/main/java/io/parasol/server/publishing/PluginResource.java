package io.parasol.server.publishing;

import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Plugin uploads, their verification reports, and their review. */
@Path("/api/v1/plugins")
@Tag(name = "Plugins")
@Produces(MediaType.APPLICATION_JSON)
public class PluginResource {

  /**
   * Why a listing is rejected.
   *
   * @param reason the reason, shown to the vendor
   */
  public record RejectRequest(String reason) {}

  private final PublishingService publishing;
  private final CallerResolver callers;

  PluginResource(PublishingService publishing, CallerResolver callers) {
    this.publishing = publishing;
    this.callers = callers;
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @RolesAllowed(Role.ISV_ID)
  @Operation(
      operationId = "uploadPlugin",
      summary = "Upload a plugin jar (multipart field 'file'); verification starts")
  public Response upload(@RestForm("file") FileUpload file) {
    if (file == null) {
      throw ProblemException.invalid("file", "is required: send the jar as multipart field 'file'");
    }
    try (InputStream in = Files.newInputStream(file.uploadedFile())) {
      PluginView view = publishing.upload(callers.caller(), file.fileName(), in);
      return Response.accepted(view).location(URI.create("/api/v1/plugins/" + view.id())).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @RolesAllowed({Role.ISV_ID, Role.ADMIN_ID})
  @Operation(operationId = "listPlugins", summary = "List your vendor's plugins (all, for admins)")
  public Page<PluginView> list(
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    return publishing.list(callers.caller(), page, size);
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Role.ISV_ID, Role.ADMIN_ID})
  @Operation(operationId = "getPlugin", summary = "Show a plugin's status and verification report")
  public PluginView get(@PathParam("id") UUID id) {
    return publishing.get(callers.caller(), id);
  }

  @POST
  @Path("{id}/submit")
  @RolesAllowed(Role.ISV_ID)
  @Operation(operationId = "submitPlugin", summary = "Submit a verified plugin for review")
  public PluginView submit(@PathParam("id") UUID id) {
    return publishing.submit(callers.caller(), id);
  }

  @POST
  @Path("{id}/approve")
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(operationId = "approvePlugin", summary = "Approve a plugin in review: it is published")
  public PluginView approve(@PathParam("id") UUID id) {
    return publishing.approve(callers.caller(), id);
  }

  @POST
  @Path("{id}/reject")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(operationId = "rejectPlugin", summary = "Reject a plugin in review, with a reason")
  public PluginView reject(@PathParam("id") UUID id, RejectRequest request) {
    return publishing.reject(callers.caller(), id, request == null ? null : request.reason());
  }

  @POST
  @Path("{id}/unlist")
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(operationId = "unlistPlugin", summary = "Take a published plugin out of the catalog")
  public PluginView unlist(@PathParam("id") UUID id) {
    return publishing.unlist(callers.caller(), id);
  }
}
