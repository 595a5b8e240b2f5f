package io.parasol.server.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.protocol.Json;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Gives the server's JSON mapper the worker protocol's mapping (typed form fields, times). */
@Singleton
public class JsonSetup implements ObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    Json.configure(mapper);
  }
}
