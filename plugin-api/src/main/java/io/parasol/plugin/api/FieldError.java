package io.parasol.plugin.api;

/**
 * Why one input value was refused.
 *
 * @param field the field id (or the offending key)
 * @param message what is wrong, for the engineer
 */
public record FieldError(String field, String message) {}
