package io.parasol.protocol;

import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.ResourceProfile;
import java.util.Map;

/**
 * What a worker extracts from a plugin jar on upload, stored by the server so that forms,
 * validation and quotes never need the plugin's classes.
 *
 * @param pluginId the PF4J plugin id
 * @param pluginVersion the PF4J plugin version
 * @param pluginRequires the plugin's Plugin-Requires range
 * @param apiVersion the plugin API version the worker checked against
 * @param manifest the app manifest
 * @param form the form
 * @param resources the resource profile
 * @param sampleInputs the self-test inputs
 * @param resubmittable whether a run whose job was lost may start again; null (older descriptors)
 *     means yes
 */
public record AppDescriptor(
    String pluginId,
    String pluginVersion,
    String pluginRequires,
    String apiVersion,
    AppManifest manifest,
    FormSpec form,
    ResourceProfile resources,
    Map<String, Object> sampleInputs,
    Boolean resubmittable) {

  /** Whether a run whose job was lost may start again. */
  public boolean mayResubmit() {
    return resubmittable == null || resubmittable;
  }
}
