package io.parasol.server.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parasol.server.compute.ClusterViews.SlurmMapping;
import io.parasol.server.compute.ClusterViews.SlurmSettings;
import io.parasol.server.storage.DataDirectory;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Runs each run as one Slurm batch job that starts the worker, through slurmrestd with a JWT the
 * server mints from the cluster's key, or through the Slurm CLI when no REST URL is configured. Job
 * states are polled (quickly until a job runs, then every second) and mapped to how the worker
 * ended; the wall time is enforced by Slurm's {@code --time} and, to the second, by Parasol.
 */
final class SlurmBackend implements ComputeBackend {

  private static final Logger LOG = Logger.getLogger(SlurmBackend.class);
  private static final Duration FAST_POLL = Duration.ofMillis(100);
  private static final Duration SLOW_POLL = Duration.ofSeconds(1);
  private static final Duration TOKEN_LIFE = Duration.ofMinutes(30);

  private final String cluster;
  private final SlurmSettings settings;
  private final ComputeConfig config;
  private final WorkerBinary worker;
  private final DataDirectory data;
  private final String callbackUrl;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;
  private volatile String jwt;
  private volatile Instant jwtRenewAt = Instant.EPOCH;

  private static final class Tracked extends TrackedJob {
    final Instant deadline;
    final AtomicBoolean timedOut = new AtomicBoolean();
    volatile Instant polledAt = Instant.EPOCH;

    Tracked(UUID runId, int attempt, Listener listener, Instant deadline) {
      super(runId, attempt, listener);
      this.deadline = deadline;
    }
  }

  /** One job to submit. */
  private record Submission(
      Launch launch,
      String jobName,
      String script,
      SlurmMapping mapping,
      long minutes,
      Optional<String> gres,
      String output) {}

  /** A job's state as Slurm reports it. */
  record JobState(String state, int exitCode, String reason) {}

  SlurmBackend(
      String cluster,
      SlurmSettings settings,
      ComputeConfig config,
      WorkerBinary worker,
      DataDirectory data,
      String callbackUrl) {
    this.cluster = cluster;
    this.settings = settings;
    this.config = config;
    this.worker = worker;
    this.data = data;
    this.callbackUrl = callbackUrl;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "parasol-slurm-" + cluster);
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::pollSafely, FAST_POLL.toMillis(), FAST_POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String name() {
    return "slurm";
  }

  private boolean rest() {
    return settings.restUrl() != null;
  }

  // ---------------------------------------------------------------- submit

  @Override
  public String launch(Launch launch, Instant deadline, Listener listener) throws IOException {
    String jobName = "parasol-" + launch.runId() + "-" + launch.attempt();
    String script = script(launch);
    SlurmMapping mapping =
        launch.mapping().slurm() == null
            ? new SlurmMapping(launch.partition(), null, null)
            : launch.mapping().slurm();
    long minutes = Math.max(1, (launch.allocation().wallTime().toSeconds() + 59) / 60);
    Optional<String> gres = gres(launch, mapping);
    String output = settings.workDir() + "/" + jobName + ".out";
    try {
      Files.createDirectories(Path.of(settings.workDir()));
    } catch (IOException | RuntimeException e) {
      // A remote cluster's work directory is not visible here; the cluster has it.
    }
    Submission job = new Submission(launch, jobName, script, mapping, minutes, gres, output);
    String jobId = rest() ? submitRest(job) : submitCli(job);
    tracked.put(jobId, new Tracked(launch.runId(), launch.attempt(), listener, deadline));
    return jobId;
  }

  private Optional<String> gres(Launch launch, SlurmMapping mapping) {
    return launch.allocation().accelerators().stream()
        .findFirst()
        .map(
            a ->
                (mapping.gresName() == null ? "gpu" : mapping.gresName())
                    + (mapping.gresType() == null ? "" : ":" + mapping.gresType())
                    + ":"
                    + a.count());
  }

  /**
   * The batch script: one line that says where it runs, the worker in fetch mode, then the removal
   * of its run directory; it exits with the worker's code.
   */
  String script(Launch launch) {
    String runDir = settings.workDir() + "/" + launch.runId() + "-" + launch.attempt();
    SandboxedWorker.Limits limits =
        new SandboxedWorker.Limits(
            Math.max(32, launch.allocation().memoryMb()), launch.allocation().cores(), 0);
    List<String> command = new ArrayList<>();
    command.add(settings.workerJava() == null ? javaHere() : settings.workerJava());
    command.addAll(SandboxedWorker.jvmOptions(limits, runDir + "/tmp", config));
    command.add("-jar");
    command.add(settings.workerJar() == null ? worker.jar().toString() : settings.workerJar());
    command.add("fetch");
    command.add(callbackUrl);
    command.add(launch.runId().toString());
    command.add(runDir);
    StringBuilder s = new StringBuilder("#!/bin/bash\n");
    s.append("echo \"parasol: job $SLURM_JOB_ID of run ")
        .append(launch.runId())
        .append(" attempt ")
        .append(launch.attempt())
        .append(" started on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%S.%NZ)")
        .append("${CUDA_VISIBLE_DEVICES:+ with CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES}\"\n");
    s.append("mkdir -p ").append(quote(runDir + "/tmp")).append(" && chmod 700 ");
    s.append(quote(runDir)).append('\n');
    command.forEach(c -> s.append(quote(c)).append(' '));
    s.append("\ncode=$?\n");
    // The run directory holds the plugin jar, inputs and outputs: all uploaded by now.
    s.append("rm -rf ").append(quote(runDir)).append('\n');
    s.append("exit $code\n");
    return s.toString();
  }

  private String submitRest(Submission s) throws IOException {
    Launch launch = s.launch();
    SlurmMapping mapping = s.mapping();
    ObjectNode body = json.createObjectNode();
    body.put("script", s.script());
    ObjectNode job = body.putObject("job");
    job.put("name", s.jobName());
    job.put("partition", mapping.partition());
    job.put("tasks", 1);
    job.put("cpus_per_task", launch.allocation().cores());
    job.put("memory_per_node", memoryMb(launch));
    job.put("time_limit", s.minutes());
    job.put("current_working_directory", settings.workDir());
    job.put("standard_output", s.output());
    job.put("standard_error", s.output());
    job.put("requeue", false);
    s.gres().ifPresent(g -> job.put("gres", g));
    ObjectNode env = job.putObject("environment");
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "C.UTF-8");
    env.put("PARASOL_RUN_TOKEN", launch.token());
    JsonNode answer = request("POST", "/job/submit", body);
    JsonNode errors = answer.path("errors");
    if (errors.size() > 0 || !answer.has("job_id")) {
      throw new IOException("slurmrestd refused the job: " + errors(errors));
    }
    return answer.get("job_id").asText();
  }

  private String submitCli(Submission s) throws IOException {
    Launch launch = s.launch();
    SlurmMapping mapping = s.mapping();
    List<String> command = new ArrayList<>();
    command.add(bin("sbatch"));
    command.add("--parsable");
    command.add("--job-name=" + s.jobName());
    command.add("--partition=" + mapping.partition());
    command.add("--ntasks=1");
    command.add("--cpus-per-task=" + launch.allocation().cores());
    command.add("--mem=" + memoryMb(launch) + "M");
    command.add("--time=" + s.minutes());
    command.add("--chdir=" + settings.workDir());
    command.add("--output=" + s.output());
    command.add("--no-requeue");
    command.add("--export=PATH,LANG,PARASOL_RUN_TOKEN");
    s.gres().ifPresent(g -> command.add("--gres=" + g));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PARASOL_RUN_TOKEN", launch.token());
    Cli result = cli(command, env, s.script());
    if (result.exit() != 0) {
      String message = result.output().strip();
      if (message.contains("Unable to contact") || message.contains("Connection refused")) {
        throw new UnavailableException("sbatch: " + message, null);
      }
      throw new IOException("sbatch refused the job: " + message);
    }
    String out = result.output().strip();
    return out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
  }

  private long memoryMb(Launch launch) {
    return launch.allocation().memoryMb() + config.jvmOverheadMb();
  }

  // ---------------------------------------------------------------- state

  @Override
  public void stop(UUID runId, String ref) {
    Tracked t = ref == null ? null : tracked.get(ref);
    if (t != null) {
      t.stopped.set(true);
    }
    if (ref != null) {
      try {
        cancel(ref);
      } catch (IOException e) {
        LOG.warnf("could not cancel Slurm job %s on %s: %s", ref, cluster, e.getMessage());
      }
    }
  }

  private void cancel(String jobId) throws IOException {
    if (rest()) {
      request("DELETE", "/job/" + jobId, null);
    } else {
      cli(List.of(bin("scancel"), jobId), Map.of(), null);
    }
  }

  @Override
  public boolean adopt(
      UUID runId, int attempt, String ref, int cores, Instant deadline, Listener listener)
      throws UnavailableException {
    if (tracked.containsKey(ref)) {
      return true;
    }
    Optional<JobState> state;
    try {
      state = state(ref);
    } catch (UnavailableException e) {
      throw e;
    } catch (IOException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
    if (state.isEmpty()) {
      return false;
    }
    Tracked t = new Tracked(runId, attempt, listener, deadline);
    tracked.put(ref, t);
    handle(ref, t, state.get());
    return true;
  }

  @Override
  public void probe() throws UnavailableException {
    try {
      if (rest()) {
        JsonNode ping = request("GET", "/ping", null);
        JsonNode pings = ping.path("pings");
        if (pings.isEmpty() || !"UP".equals(pings.get(0).path("ping").asText())) {
          throw new UnavailableException("slurmctld does not answer: " + ping.path("errors"), null);
        }
      } else {
        Cli result = cli(List.of(bin("scontrol"), "ping"), Map.of(), null);
        if (result.exit() != 0 || !result.output().contains("UP")) {
          throw new UnavailableException("scontrol ping: " + result.output().strip(), null);
        }
      }
    } catch (UnavailableException e) {
      throw e;
    } catch (IOException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
  }

  /** Jobs pending in Slurm that Parasol did not submit, per Slurm partition. */
  @Override
  public Map<String, Pending> pending() throws UnavailableException {
    Map<String, Pending> pending = new java.util.HashMap<>();
    try {
      if (rest()) {
        for (JsonNode job : request("GET", "/jobs", null).path("jobs")) {
          if ("PENDING".equals(job.path("job_state").asText())
              && !job.path("name").asText().startsWith("parasol-")) {
            JsonNode limit = job.path("time_limit");
            long minutes = limit.isObject() ? limit.path("number").asLong() : limit.asLong();
            pending.merge(
                job.path("partition").asText(),
                new Pending(1, job.path("cpus").asInt(1) * Math.max(1, minutes) * 60.0),
                Pending::plus);
          }
        }
      } else {
        Cli result =
            cli(List.of(bin("squeue"), "-h", "-t", "PD", "-o", "%P|%C|%l|%j"), Map.of(), null);
        if (result.exit() != 0) {
          throw new UnavailableException("squeue: " + result.output().strip(), null);
        }
        result.output().lines().forEach(line -> pendingLine(line, pending));
      }
    } catch (UnavailableException e) {
      throw e;
    } catch (IOException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
    return pending;
  }

  /** Adds one line of {@code squeue -o "%P|%C|%l|%j"} to the pending work, unless it is ours. */
  static void pendingLine(String line, Map<String, Pending> pending) {
    String[] f = line.strip().split("\\|", 4);
    if (f.length < 4 || f[3].startsWith("parasol-")) {
      return;
    }
    try {
      pending.merge(
          f[0].replace("*", ""),
          new Pending(1, Integer.parseInt(f[1]) * (double) limitSeconds(f[2])),
          Pending::plus);
    } catch (NumberFormatException e) {
      // a line squeue did not format as asked: not counted
    }
  }

  /** A Slurm time limit ({@code [D-]HH:MM:SS}, {@code MM:SS}, {@code UNLIMITED}) in seconds. */
  static long limitSeconds(String limit) {
    if (limit.isBlank() || limit.equals("UNLIMITED") || limit.equals("NOT_SET")) {
      return 86_400;
    }
    long days = 0;
    String rest = limit;
    int dash = limit.indexOf('-');
    if (dash > 0) {
      days = Long.parseLong(limit.substring(0, dash));
      rest = limit.substring(dash + 1);
    }
    String[] parts = rest.split(":");
    long seconds = 0;
    for (String p : parts) {
      seconds = seconds * 60 + Long.parseLong(p);
    }
    if (parts.length == 2 && dash > 0) {
      seconds *= 60; // D-HH:MM
    }
    return days * 86_400 + seconds;
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warnf(e, "polling Slurm cluster %s failed", cluster);
    }
  }

  private void poll() {
    Instant now = Instant.now();
    for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
      Tracked t = e.getValue();
      if (!t.timedOut.get() && !t.stopped.get() && now.isAfter(t.deadline)) {
        t.timedOut.set(true);
        try {
          cancel(e.getKey());
        } catch (IOException ex) {
          t.timedOut.set(false); // tried again at the next poll
        }
      }
      if (t.running.get() && Duration.between(t.polledAt, now).compareTo(SLOW_POLL) < 0) {
        continue;
      }
      t.polledAt = now;
      try {
        Optional<JobState> state = state(e.getKey());
        if (state.isEmpty()) {
          end(e.getKey(), t, -1, Ending.LOST, "Slurm no longer knows job " + e.getKey());
        } else {
          handle(e.getKey(), t, state.get());
        }
      } catch (IOException ex) {
        // Unreachable: the health probe marks the cluster; the job is looked at again later.
        t.polledAt = now.plus(Duration.ofSeconds(5));
      }
    }
  }

  private void handle(String jobId, Tracked t, JobState s) {
    switch (s.state()) {
      case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING" -> {}
      case "RUNNING", "SUSPENDED", "COMPLETING", "STAGE_OUT", "SIGNALING" -> {
        if (t.running.compareAndSet(false, true)) {
          t.listener.onRunning(t.runId, t.attempt);
        }
      }
      case "COMPLETED" -> end(jobId, t, s.exitCode(), Ending.EXITED, consoleTail(jobId, t));
      case "FAILED" -> end(jobId, t, s.exitCode(), Ending.EXITED, consoleTail(jobId, t));
      case "OUT_OF_MEMORY" ->
          end(jobId, t, SandboxedWorker.EXIT_OUT_OF_MEMORY, Ending.EXITED, consoleTail(jobId, t));
      case "TIMEOUT", "DEADLINE" -> end(jobId, t, s.exitCode(), Ending.TIMED_OUT, "");
      case "CANCELLED" -> {
        if (t.timedOut.get()) {
          end(jobId, t, s.exitCode(), Ending.TIMED_OUT, "");
        } else if (t.stopped.get()) {
          end(jobId, t, s.exitCode(), Ending.STOPPED, "");
        } else {
          end(jobId, t, s.exitCode(), Ending.EXITED, "job " + jobId + " was cancelled on Slurm");
        }
      }
      default ->
          end(
              jobId,
              t,
              s.exitCode(),
              Ending.LOST,
              "Slurm job " + jobId + " ended " + s.state() + " (" + s.reason() + ")");
    }
  }

  private void end(String jobId, Tracked t, int exit, Ending ending, String detail) {
    if (!t.ended.compareAndSet(false, true)) {
      return;
    }
    try {
      copyConsole(jobId, t);
      t.listener.onExit(t.runId, t.attempt, exit, ending, detail);
    } catch (RuntimeException e) {
      LOG.errorf(e, "handling the end of run %s failed", t.runId);
    } finally {
      tracked.remove(jobId);
    }
  }

  /** The job's output file, when this server can see the cluster's work directory. */
  private Path outputFile(Tracked t) {
    return Path.of(settings.workDir(), "parasol-" + t.runId + "-" + t.attempt + ".out");
  }

  private String consoleTail(String jobId, Tracked t) {
    return SandboxedWorker.tail(outputFile(t), 600);
  }

  private void copyConsole(String jobId, Tracked t) {
    Path out = outputFile(t);
    try {
      if (Files.isReadable(out)) {
        Path console = data.runDir(t.runId).resolve("console.txt");
        Files.createDirectories(console.getParent());
        Files.move(out, console, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.debugf("could not copy the console of Slurm job %s: %s", jobId, e.getMessage());
    }
  }

  /** The job's state; empty when Slurm does not know the job. */
  Optional<JobState> state(String jobId) throws IOException {
    if (rest()) {
      JsonNode answer = request("GET", "/job/" + jobId, null);
      JsonNode jobs = answer.path("jobs");
      if (jobs.isEmpty()) {
        for (JsonNode e : answer.path("errors")) {
          if (e.path("error_number").asInt() == 2017) {
            return Optional.empty();
          }
        }
        throw new UnavailableException("slurmrestd: " + errors(answer.path("errors")), null);
      }
      JsonNode job = jobs.get(0);
      return Optional.of(
          new JobState(
              job.path("job_state").asText(),
              exitCode(job.path("exit_code").asInt()),
              job.path("state_reason").asText()));
    }
    Cli result = cli(List.of(bin("scontrol"), "show", "job", "-o", jobId), Map.of(), null);
    if (result.exit() != 0) {
      if (result.output().contains("Invalid job id")) {
        return Optional.empty();
      }
      throw new UnavailableException("scontrol: " + result.output().strip(), null);
    }
    return Optional.of(parseScontrol(result.output()));
  }

  /** Parses one line of {@code scontrol show job -o}. */
  static JobState parseScontrol(String line) {
    String state = field(line, "JobState");
    String exit = field(line, "ExitCode");
    int code = -1;
    if (exit != null && exit.contains(":")) {
      int status = Integer.parseInt(exit.substring(0, exit.indexOf(':')));
      int signal = Integer.parseInt(exit.substring(exit.indexOf(':') + 1));
      code = signal != 0 ? 128 + signal : status;
    }
    return new JobState(state == null ? "UNKNOWN" : state, code, field(line, "Reason"));
  }

  /** slurmrestd's exit_code is the raw wait status: exit code in the high byte, signal low. */
  static int exitCode(int waitStatus) {
    int signal = waitStatus & 0x7f;
    return signal != 0 ? 128 + signal : (waitStatus >> 8) & 0xff;
  }

  private static String field(String line, String name) {
    for (String part : line.strip().split("\\s+")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- transport

  private JsonNode request(String method, String path, JsonNode body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    settings.restUrl().replaceAll("/+$", "")
                        + "/slurm/"
                        + settings.apiVersion()
                        + path))
            .timeout(Duration.ofSeconds(10))
            .header("X-SLURM-USER-NAME", settings.user())
            .header("X-SLURM-USER-TOKEN", tokenOrUnavailable())
            .header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UnavailableException("slurmrestd at " + settings.restUrl() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted", e);
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new UnavailableException(
          "slurmrestd answered " + response.statusCode() + " without JSON", e);
    }
  }

  private String tokenOrUnavailable() throws UnavailableException {
    try {
      return token();
    } catch (IOException | RuntimeException e) {
      throw new UnavailableException(
          "cannot mint a JWT from " + settings.jwtKeyFile() + ": " + e, e);
    }
  }

  /** A JWT for slurmrestd, signed with the cluster's HS256 key; renewed well before it expires. */
  private String token() throws IOException {
    Instant now = Instant.now();
    if (jwt == null || now.isAfter(jwtRenewAt)) {
      byte[] key = Files.readAllBytes(Path.of(settings.jwtKeyFile()));
      jwt =
          Jwt.claims()
              .claim("sun", settings.user())
              .issuedAt(now.getEpochSecond())
              .expiresAt(now.plus(TOKEN_LIFE).getEpochSecond())
              .jws()
              .algorithm(SignatureAlgorithm.HS256)
              .sign(new SecretKeySpec(key, "HmacSHA256"));
      jwtRenewAt = now.plus(TOKEN_LIFE.dividedBy(2));
    }
    return jwt;
  }

  private record Cli(int exit, String output) {}

  private Cli cli(List<String> command, Map<String, String> extraEnv, String stdin)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    if (settings.slurmConf() != null) {
      env.put("SLURM_CONF", settings.slurmConf());
    }
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "C.UTF-8");
    env.putAll(extraEnv);
    Process process = builder.start();
    try {
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new UnavailableException(command.get(0) + " did not answer in 30 s", null);
      }
      return new Cli(process.exitValue(), output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new UnavailableException("interrupted", e);
    }
  }

  private String bin(String name) {
    return settings.binDir() == null ? name : settings.binDir() + "/" + name;
  }

  private static String errors(JsonNode errors) {
    List<String> messages = new ArrayList<>();
    errors.forEach(
        e -> messages.add(e.path("error").asText() + " " + e.path("description").asText()));
    return String.join("; ", messages).strip();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String javaHere() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }

  @Override
  public String toString() {
    return "slurm cluster " + cluster + (rest() ? " via " + settings.restUrl() : " via the CLI");
  }
}
