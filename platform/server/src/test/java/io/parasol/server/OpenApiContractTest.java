package io.parasol.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checked-in contract {@code openapi/openapi.yaml} is what the code serves. After an intended
 * API change, regenerate it with {@code ./mvnw verify -Dopenapi.write=true} and review the diff.
 */
@QuarkusTest
class OpenApiContractTest {

  static final Path CONTRACT = Path.of("../../openapi/openapi.yaml");

  @Test
  void contractFileMatchesTheCode() throws IOException {
    String served =
        given()
            .accept("application/yaml")
            .get("/q/openapi?format=yaml")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    if (Boolean.getBoolean("openapi.write")) {
      Files.createDirectories(CONTRACT.getParent());
      Files.writeString(CONTRACT, served);
    }
    assertEquals(
        Files.readString(CONTRACT).strip(),
        served.strip(),
        "openapi/openapi.yaml differs from the API the code serves; regenerate it with"
            + " ./mvnw verify -Dopenapi.write=true");
  }
}
