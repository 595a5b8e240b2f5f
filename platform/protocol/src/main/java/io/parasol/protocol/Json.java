package io.parasol.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parasol.plugin.api.BooleanField;
import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.FileField;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.TextField;

/** The one JSON mapping of the protocol types, shared by server and worker. */
public final class Json {

  private Json() {}

  /**
   * Adds the protocol's mapping to an object mapper (the server passes its own).
   *
   * @param mapper the mapper to configure
   * @return the same mapper
   */
  public static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .registerModule(new JavaTimeModule())
        .addMixIn(Field.class, FieldMixin.class)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }

  /**
   * A new mapper with the protocol's mapping.
   *
   * @return the mapper
   */
  public static ObjectMapper mapper() {
    return configure(new ObjectMapper());
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = NumberField.class, name = "number"),
    @JsonSubTypes.Type(value = IntegerField.class, name = "integer"),
    @JsonSubTypes.Type(value = ChoiceField.class, name = "choice"),
    @JsonSubTypes.Type(value = BooleanField.class, name = "boolean"),
    @JsonSubTypes.Type(value = TextField.class, name = "text"),
    @JsonSubTypes.Type(value = FileField.class, name = "file")
  })
  interface FieldMixin {}
}
