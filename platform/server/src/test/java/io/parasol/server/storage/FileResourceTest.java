package io.parasol.server.storage;

import static io.parasol.server.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FileResourceTest {

  @Test
  void uploadListDownloadDelete() {
    String name = "mesh-" + System.nanoTime() + ".csv";
    as("alice")
        .multiPart("file", name, "a,b\n1,2\n".getBytes())
        .post("/api/v1/files")
        .then()
        .statusCode(201)
        .header("Location", containsString(name))
        .body("name", equalTo(name))
        .body("sizeBytes", equalTo(8))
        .body("sha256", equalTo(sha("a,b\n1,2\n")));
    as("alice").get("/api/v1/files").then().statusCode(200).body("name", hasItem(name));
    as("alice").get("/api/v1/files/" + name).then().statusCode(200).body(equalTo("a,b\n1,2\n"));
    as("alice")
        .multiPart("file", name, "again".getBytes())
        .post("/api/v1/files")
        .then()
        .statusCode(409);

    as("bob").get("/api/v1/files/" + name).then().statusCode(404);
    as("bob").delete("/api/v1/files/" + name).then().statusCode(404);
    as("bob").get("/api/v1/files").then().body("name", not(hasItem(name)));

    as("alice").delete("/api/v1/files/" + name).then().statusCode(204);
    as("alice").get("/api/v1/files/" + name).then().statusCode(404);
  }

  @Test
  void pathTraversalAndBadNamesAreRefused() {
    for (String bad :
        new String[] {
          "../../etc/passwd", "..", ".hidden", "a/b.txt", "a\\b.txt", "x".repeat(300)
        }) {
      as("alice")
          .multiPart("file", "ok.txt", "x".getBytes())
          .multiPart("name", bad)
          .post("/api/v1/files")
          .then()
          .statusCode(422)
          .contentType("application/problem+json")
          .body("errors.field", hasItem("name"));
    }
    as("alice").get("/api/v1/files/..%2F..%2Fdb%2Fparasol.mv.db").then().statusCode(404);
  }

  @Test
  void oversizeUploadsAreRefused() {
    byte[] big = new byte[2 * 1024 * 1024];
    as("alice")
        .multiPart("file", "big.bin", big)
        .post("/api/v1/files")
        .then()
        .statusCode(413)
        .contentType("application/problem+json");
    as("alice").get("/api/v1/files").then().body("name", not(hasItem("big.bin")));
  }

  @Test
  void onlyEngineersHaveWorkspaces() {
    as("ivy").get("/api/v1/files").then().statusCode(403);
    given().get("/api/v1/files").then().statusCode(401);
  }

  private static String sha(String text) {
    return io.parasol.server.common.Hashing.sha256Hex(text);
  }
}
