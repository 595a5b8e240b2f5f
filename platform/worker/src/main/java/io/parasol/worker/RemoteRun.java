package io.parasol.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.protocol.RunSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The first step of a worker on a Kubernetes or Slurm cluster: fetches the run's spec, plugin jar
 * and input files from the server with the run's token (from {@code PARASOL_RUN_TOKEN}) into a
 * private run directory, then runs it like a local worker.
 */
final class RemoteRun {

  private static final int ATTEMPTS = 5;

  private final ObjectMapper json;
  private final String serverUrl;
  private final String runId;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  RemoteRun(ObjectMapper json, String serverUrl, String runId, String token) {
    this.json = json;
    this.serverUrl = serverUrl.replaceAll("/+$", "");
    this.runId = runId;
    this.token = token;
  }

  /** Fetches everything into {@code runDir} and writes {@code runDir/spec.json}. */
  Path fetch(Path runDir) throws IOException, InterruptedException {
    Files.createDirectories(runDir.resolve("inputs"));
    Files.createDirectories(runDir.resolve("work"));
    RunSpec remote = json.readValue(get("spec"), RunSpec.class);
    Path jar = runDir.resolve("plugin.jar");
    download("plugin", jar);
    for (String name : remote.files().values()) {
      if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        throw new IOException("refusing input file name " + name);
      }
      download(
          "inputs/" + URLEncoder.encode(name, StandardCharsets.UTF_8),
          runDir.resolve("inputs").resolve(name));
    }
    List<String> dependencies = new java.util.ArrayList<>();
    for (int i = 0; i < remote.dependencies().size(); i++) {
      Path dependency = runDir.resolve("dependency-" + i + ".jar");
      download("dependencies/" + i, dependency);
      dependencies.add(dependency.toAbsolutePath().toString());
    }
    RunSpec local =
        new RunSpec(
            remote.runId(),
            remote.appId(),
            jar.toAbsolutePath().toString(),
            remote.inputs(),
            remote.files(),
            remote.allocation(),
            serverUrl,
            token,
            remote.limits(),
            dependencies,
            remote.monitoring());
    Path spec = runDir.resolve("spec.json");
    // the spec holds the run token: 0600 from its creation on
    Files.deleteIfExists(spec);
    Files.createFile(
        spec,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    json.writeValue(spec.toFile(), local);
    return spec;
  }

  private byte[] get(String path) throws IOException, InterruptedException {
    try (InputStream in = open(path)) {
      return in.readAllBytes();
    }
  }

  private void download(String path, Path target) throws IOException, InterruptedException {
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    try (InputStream in = open(path)) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** GETs a worker resource of the run, retrying transient failures with back-off. */
  private InputStream open(String path) throws IOException, InterruptedException {
    URI uri = URI.create(serverUrl + "/api/v1/worker/runs/" + runId + "/" + path);
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<InputStream> response =
            http.send(
                HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMinutes(5))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 200) {
          return response.body();
        }
        String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        last = new IOException("GET " + path + " answered " + response.statusCode() + ": " + body);
        if (response.statusCode() < 500) {
          throw last;
        }
      } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
        last = e;
      }
      Thread.sleep(200L << attempt);
    }
    throw last;
  }
}
