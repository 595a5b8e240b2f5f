/**
 * The Parasol plugin API: the types an independent software vendor implements to publish a
 * simulation app on Parasol.
 *
 * <p>An app is a PF4J plugin whose extension implements {@link
 * io.parasol.plugin.api.SimulationApp}. It declares who it is ({@link
 * io.parasol.plugin.api.AppManifest}), what an engineer fills in ({@link
 * io.parasol.plugin.api.FormSpec}), what hardware it wants ({@link
 * io.parasol.plugin.api.ResourceProfile}) and how it computes ({@link
 * io.parasol.plugin.api.Solver}). The platform never loads these classes in its server: a sandboxed
 * worker process does.
 *
 * <p>The API follows Semantic Versioning; see {@link io.parasol.plugin.api.PluginApi#version()}.
 */
package io.parasol.plugin.api;
