package io.parasol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The REST contract as a client generator reads it: it parses without messages, every operation has
 * an id, a summary, tags and documented problem+json errors, and the main requests carry examples.
 */
class OpenApiQualityTest {

  static OpenAPI contract() throws Exception {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result =
        new OpenAPIV3Parser()
            .readContents(Files.readString(OpenApiContractTest.CONTRACT), null, options);
    assertEquals(List.of(), result.getMessages(), "parser messages");
    assertNotNull(result.getOpenAPI());
    return result.getOpenAPI();
  }

  @Test
  void everyOperationIsDocumented() throws Exception {
    OpenAPI api = contract();
    List<String> problems = new ArrayList<>();
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, op) -> {
                          String where = method + " " + path;
                          if (op.getOperationId() == null) {
                            problems.add(where + ": no operationId");
                          }
                          if (op.getSummary() == null || op.getSummary().isBlank()) {
                            problems.add(where + ": no summary");
                          }
                          if (op.getTags() == null || op.getTags().isEmpty()) {
                            problems.add(where + ": no tag");
                          }
                          boolean errors = false;
                          for (Map.Entry<String, ApiResponse> r : op.getResponses().entrySet()) {
                            if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                              errors = true;
                              if (r.getValue().getContent() == null
                                  || !r.getValue()
                                      .getContent()
                                      .containsKey("application/problem+json")) {
                                problems.add(where + ": " + r.getKey() + " is not problem+json");
                              }
                            }
                          }
                          if (!errors) {
                            problems.add(where + ": no error response documented");
                          }
                          if (path.contains("{") && !op.getResponses().containsKey("404")) {
                            problems.add(where + ": names a resource but documents no 404");
                          }
                        }));
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertNotNull(api.getComponents().getSchemas().get("Problem"));
  }

  @Test
  void theMainRequestsHaveExamples() throws Exception {
    OpenAPI api = contract();
    for (String id : List.of("launchRun", "quoteRun", "reportRunSamples")) {
      Operation op =
          api.getPaths().values().stream()
              .flatMap(i -> i.readOperations().stream())
              .filter(o -> id.equals(o.getOperationId()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no operation " + id));
      var media = op.getRequestBody().getContent().get("application/json");
      assertTrue(
          media.getExamples() != null && !media.getExamples().isEmpty(), id + " has no example");
    }
  }
}
