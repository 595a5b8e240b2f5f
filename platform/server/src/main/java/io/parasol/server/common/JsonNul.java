package io.parasol.server.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.Optional;

/**
 * Finds text with the NUL character (U+0000) in a JSON document: neither PostgreSQL nor the
 * platform's files can hold it, so a request that carries one is refused at the field.
 */
final class JsonNul {

  private static final byte[] ESCAPE =
      "\\u0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build())
          .build();

  private JsonNul() {}

  /**
   * The JSON path (such as {@code inputs.name} or {@code records[2].org}) of the first field name
   * or string value that holds a NUL, if any; a document that is not JSON has none (its reader
   * answers for it).
   */
  static Optional<String> firstField(byte[] json) {
    if (!contains(json, ESCAPE)) {
      return Optional.empty(); // a NUL can only be written as an escape in valid JSON
    }
    try (JsonParser parser = FACTORY.createParser(json)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if ((t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING)
            && parser.getText().indexOf('\0') >= 0) {
          return Optional.of(path(parser));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String path(JsonParser parser) {
    StringBuilder path = new StringBuilder();
    var context = parser.getParsingContext();
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        parts.push(c.getCurrentName().replace("\0", ""));
      }
    }
    for (String part : parts) {
      if (path.length() > 0 && !part.startsWith("[")) {
        path.append('.');
      }
      path.append(part);
    }
    String result = path.length() == 0 ? "body" : path.toString();
    return ProblemMappers.cut(result, ProblemMappers.MAX_FIELD_NAME);
  }

  private static boolean contains(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
