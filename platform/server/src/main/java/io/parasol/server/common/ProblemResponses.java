package io.parasol.server.common;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the errors every operation can answer, as RFC 9457 problem+json ({@link Problem}): 400
 * for a malformed body or parameter, 401 and 403 for secured operations, 404 where the path names a
 * resource, 422 where values are validated, 413 where a body is taken, 503 for sample ingestion.
 * Registered as {@code mp.openapi.filter}.
 */
public class ProblemResponses implements OASFilter {

  static final String MEDIA = "application/problem+json";
  static final String SCHEMA = "#/components/schemas/Problem";

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    Components components = openApi.getComponents();
    if (components == null) {
      components = OASFactory.createComponents();
      openApi.setComponents(components);
    }
    components.addSchema("Problem", problemSchema());
    if (openApi.getPaths() == null) {
      return;
    }
    openApi
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) ->
                item.getOperations().forEach((method, op) -> document(path, method, op)));
  }

  private static void document(String path, PathItem.HttpMethod method, Operation op) {
    APIResponses responses = op.getResponses();
    if (responses == null) {
      responses = OASFactory.createAPIResponses();
      op.setResponses(responses);
    }
    boolean hasBody = op.getRequestBody() != null;
    List<Parameter> parameters = op.getParameters() == null ? List.of() : op.getParameters();
    boolean hasQuery = parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY);
    boolean hasPathParam = path.contains("{");
    if (hasBody || hasQuery || hasPathParam) {
      put(responses, "400", "The request is malformed (not JSON, a wrong type, a bad parameter)");
    }
    if (responses.hasAPIResponse("401")) {
      put(responses, "401", "Not signed in, or the credentials are not valid");
    }
    if (responses.hasAPIResponse("403")) {
      put(responses, "403", "Signed in without the role this needs");
    }
    if (hasPathParam) {
      put(responses, "404", "No such resource, or it belongs to another organisation");
    }
    if (hasBody || hasQuery) {
      put(responses, "422", "Values are out of range or inconsistent; one error per field");
    }
    if (hasBody) {
      put(responses, "413", "The body is larger than this operation takes");
    }
    if (path.endsWith("/samples")) {
      put(responses, "503", "Ingestion is behind; retry after a second");
    }
  }

  private static void put(APIResponses responses, String code, String description) {
    APIResponse existing = responses.getAPIResponse(code);
    APIResponse response = existing != null ? existing : OASFactory.createAPIResponse();
    if (response.getDescription() == null
        || response.getDescription().isBlank()
        || existing == null
        || response.getContent() == null) {
      response.setDescription(description);
    }
    Content content = OASFactory.createContent();
    content.addMediaType(
        MEDIA, OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA)));
    response.setContent(content);
    responses.addAPIResponse(code, response);
  }

  private static Schema problemSchema() {
    Schema error =
        OASFactory.createSchema()
            .type(List.of(Schema.SchemaType.OBJECT))
            .properties(
                ordered(
                    "field", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)),
                    "message", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))));
    return OASFactory.createSchema()
        .type(List.of(Schema.SchemaType.OBJECT))
        .description("An RFC 9457 problem: what went wrong, and for validation each field's error")
        .properties(
            ordered(
                "type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)),
                "title", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)),
                "status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)),
                "detail", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)),
                "instance", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)),
                "errors",
                    OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(error)))
        .required(List.of("title", "status"));
  }

  /** Properties in the order given (the contract file must come out the same every time). */
  private static Map<String, Schema> ordered(Object... pairs) {
    Map<String, Schema> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      m.put((String) pairs[i], (Schema) pairs[i + 1]);
    }
    return m;
  }
}
