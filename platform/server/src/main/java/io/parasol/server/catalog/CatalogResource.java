package io.parasol.server.catalog;

import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The app catalog. */
@Path("/api/v1/apps")
@Tag(name = "Catalog")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class CatalogResource {

  private final CatalogService catalog;
  private final boolean publicRead;
  private final SecurityIdentity identity;

  CatalogResource(
      CatalogService catalog,
      SecurityIdentity identity,
      @ConfigProperty(name = "parasol.catalog.public-read", defaultValue = "false")
          boolean publicRead) {
    this.catalog = catalog;
    this.identity = identity;
    this.publicRead = publicRead;
  }

  /** Signed-in callers of any role may browse; anonymous ones only where the catalog is public. */
  private void requireReader() {
    if (identity.isAnonymous() && !publicRead) {
      throw new UnauthorizedException();
    }
  }

  @GET
  @Operation(
      operationId = "listApps",
      summary = "Search published apps by text, industry, tag and accelerator")
  public Page<AppSummary> list(
      @QueryParam("q") String text,
      @QueryParam("industry") String industry,
      @QueryParam("tag") String tag,
      @QueryParam("accelerator") String accelerator,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    requireReader();
    if (text != null && text.length() > 200) {
      throw ProblemException.invalid("q", "must be at most 200 characters");
    }
    return catalog.search(
        Optional.ofNullable(text).filter(t -> !t.isBlank()),
        Optional.ofNullable(industry).filter(t -> !t.isBlank()).map(CatalogService::industry),
        Optional.ofNullable(tag).filter(t -> !t.isBlank()),
        Optional.ofNullable(accelerator).filter(t -> !t.isBlank()).map(CatalogService::accelerator),
        page,
        size);
  }

  @GET
  @Path("{appId}")
  @Operation(
      operationId = "getApp",
      summary = "Show an app with the form of its newest (or a given) published version")
  public AppDetail get(@PathParam("appId") String appId, @QueryParam("version") String version) {
    requireReader();
    return catalog.get(appId, Optional.ofNullable(version).filter(v -> !v.isBlank()));
  }
}
