package io.parasol.server.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.parasol.plugin.api.Accelerator;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.FileField;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.FormValidation;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.scheduling.Objective;
import io.parasol.scheduling.Placement;
import io.parasol.server.audit.AuditService;
import io.parasol.server.billing.BillingService;
import io.parasol.server.billing.BillingViews;
import io.parasol.server.catalog.CatalogService;
import io.parasol.server.catalog.PlatformFields;
import io.parasol.server.common.FileTrees;
import io.parasol.server.common.Hashing;
import io.parasol.server.common.JsonText;
import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.common.ProblemException.FieldProblem;
import io.parasol.server.common.VendorPatterns;
import io.parasol.server.compute.Backends;
import io.parasol.server.publishing.PublishedApp;
import io.parasol.server.run.RunViews.LaunchRequest;
import io.parasol.server.run.RunViews.RunView;
import io.parasol.server.scheduling.OrgPolicyService;
import io.parasol.server.scheduling.PlacementService;
import io.parasol.server.scheduling.RunPriority;
import io.parasol.server.storage.DataDirectory;
import io.parasol.server.storage.FileNames;
import io.parasol.server.storage.StorageService;
import io.parasol.server.storage.StoredFile;
import io.parasol.server.tenancy.Caller;
import io.parasol.server.tenancy.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The rules of runs as engineers see them: launch (validated, idempotent), read, list, cancel, logs
 * and outputs. Tenancy is checked here: another org's run does not exist for the caller.
 */
@ApplicationScoped
public class RunService {

  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final CatalogService catalog;
  private final StorageService storage;
  private final DataDirectory data;
  private final RunDispatcher dispatcher;
  private final Backends backends;
  private final io.parasol.server.publishing.PublishingService publishing;
  private final PlacementService placement;
  private final ObjectMapper json;
  private final ObjectMapper canonical;
  private final AuditService audit;
  private final BillingService billing;
  private final RunSettlement settlement;
  private final OrgPolicyService policies;
  private final io.parasol.server.scheduling.PlacementConfig placementConfig;
  private final LaunchWriter writer;
  private final RunTally tally;

  RunService(
      CatalogService catalog,
      StorageService storage,
      DataDirectory data,
      RunDispatcher dispatcher,
      Backends backends,
      PlacementService placement,
      io.parasol.server.publishing.PublishingService publishing,
      ObjectMapper json,
      AuditService audit,
      BillingService billing,
      io.parasol.server.scheduling.PlacementConfig placementConfig,
      RunSettlement settlement,
      OrgPolicyService policies,
      LaunchWriter writer,
      RunTally tally) {
    this.writer = writer;
    this.tally = tally;
    this.policies = policies;
    this.placementConfig = placementConfig;
    this.settlement = settlement;
    this.audit = audit;
    this.billing = billing;
    this.catalog = catalog;
    this.storage = storage;
    this.data = data;
    this.dispatcher = dispatcher;
    this.backends = backends;
    this.publishing = publishing;
    this.placement = placement;
    this.json = json;
    this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  }

  /**
   * The result of a launch.
   *
   * @param run the run
   * @param created false when an earlier launch with the same Idempotency-Key is returned
   */
  public record Launched(RunView run, boolean created) {}

  // ---------------------------------------------------------------- launch

  /**
   * Launches a run. The checks, the placement and the hand-over to the {@link LaunchWriter} run on
   * a worker thread, which then goes back to the pool: the launch waits for its group's commit
   * without holding a thread, and its answer is emitted on the thread the caller subscribed on (the
   * request's event loop), so that serialising it costs the writer nothing.
   */
  public Uni<Launched> launch(Caller caller, LaunchRequest request, String idempotencyKey) {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    Uni<Launched> launched =
        Uni.createFrom()
            .item(() -> accept(caller, request, idempotencyKey))
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
            .chain(this::answer);
    return context == null
        ? launched
        : launched.emitOn(command -> context.runOnContext(ignored -> command.run()));
  }

  /**
   * A launch accepted for writing (its run, what its answer is built from, and the writer's answer
   * to come), or the earlier launch an Idempotency-Key names ({@code replayed}, the rest null).
   */
  private record Accepted(
      Launched replayed,
      Caller caller,
      Run run,
      Map<String, Object> values,
      Map<String, String> inputFiles,
      Placement.Decision decision,
      CompletableFuture<RunTransition> written) {

    static Accepted replay(Launched launched) {
      return new Accepted(launched, null, null, null, null, null, null);
    }
  }

  /** The launch's answer once its group has committed; a failure is looked into on a worker. */
  private Uni<Launched> answer(Accepted accepted) {
    if (accepted.replayed() != null) {
      return Uni.createFrom().item(accepted.replayed());
    }
    return Uni.createFrom()
        .completionStage(accepted.written())
        .map(
            first -> {
              dispatcher.wake();
              // the answer is built from what was just written, without reading it back
              return new Launched(
                  view(
                      accepted.run(),
                      List.of(first),
                      accepted.values(),
                      accepted.inputFiles(),
                      accepted.decision()),
                  true);
            })
        .onFailure()
        .recoverWithUni(
            failure ->
                Uni.createFrom()
                    .item(() -> afterFailedWrite(accepted, failure))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
  }

  /** A launch whose write failed: its files go, and a raced Idempotency-Key gets the winner. */
  private Launched afterFailedWrite(Accepted accepted, Throwable failure) {
    Run run = accepted.run();
    deleteQuietly(data.runDir(run.id));
    // Two launches with one Idempotency-Key raced; the other one won.
    if (run.idempotencyKey != null) {
      Optional<Launched> replay = replay(accepted.caller(), run.idempotencyKey, run.requestHash);
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    throw new IllegalStateException(failure);
  }

  private Accepted accept(Caller caller, LaunchRequest request, String idempotencyKey) {
    if (caller.role() != Role.ENGINEER) {
      throw ProblemException.forbidden("only engineers launch runs");
    }
    if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      throw ProblemException.invalid(
          "Idempotency-Key", "must be 1 to 200 visible ASCII characters");
    }
    if (request == null || request.appId() == null || request.appId().isBlank()) {
      throw ProblemException.invalid("appId", "is required");
    }
    Map<String, Object> inputs = request.inputs() == null ? Map.of() : request.inputs();
    String requestHash = hash(request, inputs);
    if (idempotencyKey != null) {
      Optional<Launched> replay = replay(caller, idempotencyKey, requestHash);
      if (replay.isPresent()) {
        return Accepted.replay(replay.get());
      }
    }

    Prepared prepared = prepare(caller, request, true);
    PublishedApp app = prepared.app();
    FormValidation validation = prepared.validation();
    Map<String, StoredFile> files = prepared.files();
    BillingViews.Quote quote = billing.quote(quoteInput(prepared));

    UUID runId = UUID.randomUUID();
    Path inputsDir = data.runDir(runId).resolve("inputs");
    Map<String, String> inputFiles = new TreeMap<>();
    try {
      // a run's directory is made when it is dispatched; at launch only for its input files
      if (!files.isEmpty()) {
        Files.createDirectories(inputsDir);
      }
      for (Map.Entry<String, StoredFile> e : files.entrySet()) {
        Files.copy(
            e.getValue().path(),
            inputsDir.resolve(e.getValue().name()),
            StandardCopyOption.REPLACE_EXISTING);
        inputFiles.put(e.getKey(), e.getValue().name());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    int cores = prepared.cores();
    Run run = new Run();
    run.id = runId;
    run.org = caller.org();
    run.createdBy = caller.name();
    run.appId = app.appId();
    run.appVersion = app.version();
    run.pluginId = app.pluginId();
    run.jarSha256 = app.jarSha256();
    List<String> bases = publishing.baseJars(app.pluginId());
    run.dependencyJars = bases.isEmpty() ? null : JsonText.write(json, bases);
    run.inputs = JsonText.write(json, validation.values());
    run.inputFiles = JsonText.write(json, inputFiles);
    run.cores = cores;
    run.memoryMb = cores * app.descriptor().resources().memoryPerCoreMb();
    run.wallTimeSeconds = prepared.wallTimeSeconds();
    run.vendorOrg = app.vendorOrg();
    Placement.Decision decision = prepared.decision();
    run.backend = decision.backend();
    run.partitionName = decision.partition();
    run.clusterName = decision.cluster();
    run.pinned = decision.pinned();
    run.placement = JsonText.write(json, decision);
    run.priority = prepared.priority().level();
    run.objective = prepared.objective().id();
    run.predictedRunSeconds = prepared.runSeconds();
    run.inputBytes = prepared.inputBytes();
    run.problemKey = prepared.problemKey();
    run.nextCheckAt = dispatcher.nextCheck(decision);
    prepared
        .accelerator()
        .ifPresent(
            a -> {
              run.acceleratorKind = a.kind();
              run.acceleratorModel = a.model();
              run.acceleratorCount = a.count();
            });
    run.state = RunState.QUEUED;
    run.idempotencyKey = idempotencyKey;
    run.requestHash = requestHash;
    run.createdAt = Instant.now();
    run.updatedAt = run.createdAt;
    CompletableFuture<RunTransition> written =
        writer.submit(
            new LaunchWriter.Launch(
                run,
                "launched by "
                    + caller.name()
                    + "; "
                    + decision.reason()
                    + " (partition "
                    + decision.partition()
                    + ")",
                quote.maximum().licence(),
                quote.maximum().total()));
    return new Accepted(null, caller, run, validation.values(), inputFiles, decision, written);
  }

  /** A launch request checked against the app's form and the platform's fields. */
  private record Prepared(
      PublishedApp app,
      FormValidation validation,
      Map<String, StoredFile> files,
      int cores,
      long wallTimeSeconds,
      Optional<Accelerator> accelerator,
      Placement.Decision decision,
      Objective objective,
      RunPriority priority,
      double runSeconds,
      long inputBytes,
      String problemKey) {}

  /**
   * Checks a launch request and places it.
   *
   * @param commit whether the placement counts (a launch) or is only a preview (a quote)
   */
  private Prepared prepare(Caller caller, LaunchRequest request, boolean commit) {
    if (request == null || request.appId() == null || request.appId().isBlank()) {
      throw ProblemException.invalid("appId", "is required");
    }
    Map<String, Object> inputs = request.inputs() == null ? Map.of() : request.inputs();
    Objective objective =
        request.objective() == null
            ? Objective.parse(placementConfig.defaultObjective()).orElse(Objective.BALANCED)
            : Objective.parse(request.objective())
                .orElseThrow(
                    () ->
                        ProblemException.invalid(
                            "objective", "must be balanced, fastest or cheapest"));
    RunPriority priority =
        request.priority() == null
            ? RunPriority.NORMAL
            : RunPriority.parse(request.priority())
                .orElseThrow(
                    () -> ProblemException.invalid("priority", "must be low, normal or high"));
    PublishedApp app =
        catalog.launchTarget(request.appId(), Optional.ofNullable(request.version()));
    Map<String, Object> platformValues = new LinkedHashMap<>();
    Map<String, Object> appValues = new LinkedHashMap<>();
    inputs.forEach(
        (k, v) -> (FormSpec.RESERVED_FIELD_IDS.contains(k) ? platformValues : appValues).put(k, v));

    List<FieldProblem> problems = new ArrayList<>();
    Map<String, Object> platform = new LinkedHashMap<>();
    for (Field field : catalog.platformFields(app)) {
      Object raw = platformValues.getOrDefault(field.id(), field.defaultValue());
      try {
        platform.put(field.id(), field.coerce(raw));
      } catch (IllegalArgumentException e) {
        problems.add(new FieldProblem("inputs." + field.id(), e.getMessage()));
      }
    }
    FormSpec form = app.descriptor().form();
    FormValidation validation = VendorPatterns.validate(form, appValues);
    validation
        .errors()
        .forEach(e -> problems.add(new FieldProblem("inputs." + e.field(), e.message())));

    Map<String, StoredFile> files = new TreeMap<>();
    for (Field field : form.fields()) {
      if (field instanceof FileField
          && validation.values().get(field.id()) instanceof String name) {
        Optional<StoredFile> file = storage.find(caller.org(), name);
        if (file.isEmpty()) {
          problems.add(
              new FieldProblem("inputs." + field.id(), "names no file in your workspace: " + name));
        } else {
          files.put(field.id(), file.get());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw ProblemException.invalid(
          "the inputs do not fit the form of " + app.appId() + " " + app.version(), problems);
    }

    int cores = ((Long) platform.get(PlatformFields.CORES)).intValue();
    ResourceProfile profile = app.descriptor().resources();
    Optional<Accelerator> accelerator =
        platform.get(PlatformFields.ACCELERATOR) instanceof String id
            ? PlatformFields.accelerator(profile, id)
            : Optional.empty();
    String partition = (String) platform.get(PlatformFields.PARTITION);
    long wallSeconds =
        Math.max(1, Math.round((Double) platform.get(PlatformFields.WALL_TIME) * 60));
    long inputBytes = files.values().stream().mapToLong(StoredFile::sizeBytes).sum();
    String problemKey = problemKey(app.appId(), validation.values());
    double runSeconds =
        placement.predictRunSeconds(
            app.appId(), problemKey, cores, profile.expectedWallTime().toSeconds());
    OrgPolicyService.Effective policy = policies.effective(caller.org());
    Placement.Need need =
        new Placement.Need(
            new Placement.Demand(
                cores,
                cores * profile.memoryPerCoreMb(),
                accelerator.map(Accelerator::kind).orElse(null),
                accelerator.map(Accelerator::model).orElse(null),
                accelerator.map(Accelerator::count).orElse(0)),
            PlatformFields.AUTO.equals(partition)
                ? Optional.empty()
                : Optional.ofNullable(partition),
            objective,
            policy.regions(),
            new Placement.Data(policy.dataRegion(), inputBytes),
            runSeconds,
            wallSeconds,
            policy.quota());
    if (priority.level() > policy.maxPriority().level()) {
      throw ProblemException.invalid(
          "priority",
          "your organisation may launch at most "
              + policy.maxPriority().id()
              + " priority; ask an admin to raise its policy");
    }
    Placement.Decision decision;
    try {
      decision = commit ? placement.place(need) : placement.preview(need);
    } catch (Placement.NoPlacementException e) {
      throw new ProblemException(
          422,
          "Unprocessable Content",
          e.getMessage(),
          List.of(new FieldProblem("inputs." + PlatformFields.PARTITION, e.getMessage())),
          Map.of("rejected", e.rejected()));
    }
    return new Prepared(
        app,
        validation,
        files,
        cores,
        wallSeconds,
        accelerator,
        decision,
        objective,
        priority,
        runSeconds,
        inputBytes,
        problemKey);
  }

  /**
   * What a launch would cost where Parasol would place it (at the app's expected wall time, and at
   * most: what it holds), with the other candidate partitions' predicted start, finish and cost.
   */
  public RunViews.QuoteView quote(Caller caller, LaunchRequest request) {
    if (caller.role() != Role.ENGINEER) {
      throw ProblemException.forbidden("only engineers launch runs");
    }
    Prepared prepared = prepare(caller, request, false);
    Placement.Decision d = prepared.decision();
    List<RunViews.Choice> choices =
        d.options().stream()
            .map(
                o ->
                    new RunViews.Choice(
                        o.partition(),
                        o.cluster(),
                        o.region(),
                        o.predictedStart(),
                        o.predictedFinish(),
                        o.predictedWaitSeconds(),
                        o.predictedRunSeconds(),
                        o.cost(),
                        o.front(),
                        o.partition().equals(d.partition())))
            .toList();
    BillingViews.Quote price = billing.quote(quoteInput(prepared));
    return new RunViews.QuoteView(
        price.currency(),
        price.partition(),
        price.coreHourPrice(),
        price.cardHourPrice(),
        price.licence(),
        price.expected(),
        price.maximum(),
        d.objective(),
        d.reason(),
        choices);
  }

  private static BillingViews.QuoteInput quoteInput(Prepared p) {
    return new BillingViews.QuoteInput(
        p.app().appId(),
        p.decision().partition(),
        p.cores(),
        p.accelerator().map(Accelerator::count).orElse(0),
        p.app().descriptor().resources().expectedWallTime().toSeconds(),
        p.wallTimeSeconds());
  }

  private Optional<Launched> replay(Caller caller, String key, String requestHash) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                Run.<Run>find("org = ?1 and idempotencyKey = ?2", caller.org(), key)
                    .firstResultOptional()
                    .map(
                        existing -> {
                          if (!existing.requestHash.equals(requestHash)) {
                            throw new ProblemException(
                                422,
                                "Unprocessable Content",
                                "this Idempotency-Key was already used for a different launch request",
                                List.of(
                                    new FieldProblem(
                                        "Idempotency-Key", "was used for a different request")),
                                Map.of("runId", existing.id.toString()));
                          }
                          return new Launched(view(existing), false);
                        }));
  }

  // ---------------------------------------------------------------- reads

  @Transactional
  public RunView get(Caller caller, UUID id) {
    return view(read(caller, id));
  }

  @Transactional
  public Page<RunView> list(Caller caller, Optional<RunState> state, int page, int size) {
    Page.check(page, size);
    var query =
        state.isPresent()
            ? Run.<Run>find(
                "org = ?1 and state = ?2 order by createdAt desc", caller.org(), state.get())
            : Run.<Run>find("org = ?1 order by createdAt desc", caller.org());
    long total = query.count();
    return new Page<>(
        query.page(page, size).list().stream().map(this::view).toList(), page, size, total);
  }

  /** The run's log, or its worker's console output. */
  @Transactional
  public String logs(Caller caller, UUID id, boolean console) {
    Run run = read(caller, id);
    Path file = data.runDir(run.id).resolve(console ? "console.txt" : "log.txt");
    String text;
    try {
      text =
          Files.exists(file)
              ? new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8)
              : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Where the server keeps things is the admins' business: engineers read [data] and [java].
    return caller.isAdmin()
        ? text
        : text.replace(data.root().toString(), "[data]")
            .replace(System.getProperty("java.home"), "[java]");
  }

  @Transactional
  public List<RunViews.Output> outputs(Caller caller, UUID id) {
    Run run = read(caller, id);
    return RunOutput.<RunOutput>list("key.runId = ?1 order by key.name", run.id).stream()
        .map(
            o ->
                new RunViews.Output(
                    o.key.name(),
                    o.sizeBytes,
                    o.sha256,
                    contentType(o.key.name()),
                    "/api/v1/runs/" + run.id + "/outputs/" + o.key.name()))
        .toList();
  }

  /** An output file's path and media type. */
  @Transactional
  public Map.Entry<Path, String> output(Caller caller, UUID id, String name) {
    Run run = read(caller, id);
    if (!FileNames.isValidRelativePath(name)
        || RunOutput.findById(new RunOutput.Key(run.id, name)) == null) {
      throw ProblemException.notFound("output " + name);
    }
    return Map.entry(RunStore.outputsDir(data, run.id).resolve(name), contentType(name));
  }

  // ---------------------------------------------------------------- cancel

  public RunView cancel(Caller caller, UUID id) {
    Optional<Run> stopWorker =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Run run = Run.findById(id, LockModeType.PESSIMISTIC_WRITE);
                  if (run == null || !caller.canSee(run.org)) {
                    throw ProblemException.notFound("run " + id);
                  }
                  if (caller.role() != Role.ENGINEER && !caller.isAdmin()) {
                    throw ProblemException.forbidden("only engineers and admins cancel runs");
                  }
                  if (run.state.isTerminal()) {
                    throw ProblemException.conflict(
                        "the run has already ended: it is " + run.state);
                  }
                  boolean inFlight = run.state.isInFlight();
                  audit.record(
                      caller, "run.cancel", "run", run.id.toString(), run.org, "was " + run.state);
                  RunStore.finish(run, RunState.CANCELLED, "cancelled by " + caller.name());
                  return inFlight ? Optional.of(run) : Optional.<Run>empty();
                });
    settlement.wake();
    stopWorker.ifPresent(
        run -> {
          try {
            backends.of(run.clusterName).stop(run.id, run.jobRef);
          } catch (RuntimeException e) {
            // The run is CANCELLED already; the worker learns it at its next report.
            org.jboss.logging.Logger.getLogger(RunService.class)
                .warnf("could not stop the job of run %s: %s", run.id, e.getMessage());
          }
        });
    return get(caller, id);
  }

  // ---------------------------------------------------------------- monitoring

  /** What monitoring needs of a run the caller may read. */
  @Transactional
  public RunViews.MonitoredRun monitored(Caller caller, UUID id) {
    return RunViews.MonitoredRun.of(read(caller, id));
  }

  /** What monitoring needs of a run, for the server's own use. */
  @Transactional
  public Optional<RunViews.MonitoredRun> monitored(UUID id) {
    return Run.<Run>findByIdOptional(id).map(RunViews.MonitoredRun::of);
  }

  /** Records the problem size a run's app reported, once. */
  @Transactional
  public void recordProblemSize(UUID id, double size) {
    Run.update("problemSize = ?1 where id = ?2 and problemSize is null", size, id);
  }

  /**
   * How many runs are in each state that is not terminal, per partition, from the {@link RunTally}
   * (on PostgreSQL a few rows, whatever the length of the queues or of the runs' history).
   */
  @Transactional
  public Map<RunState, Map<String, Long>> activeCounts() {
    Map<RunState, Map<String, Long>> counts = new java.util.EnumMap<>(RunState.class);
    tally
        .read()
        .forEach(
            (state, byPartition) -> {
              Map<String, Long> n = new TreeMap<>();
              byPartition.forEach((partition, count) -> n.put(partition, count.runs()));
              counts.put(state, n);
            });
    return counts;
  }

  /** When an app's latest successful run finished, if any did. */
  @Transactional
  public Optional<Instant> latestSuccess(String appId) {
    return Optional.ofNullable(
        Run.getEntityManager()
            .createQuery(
                "select max(r.finishedAt) from Run r where r.appId = ?1 and r.state = ?2",
                Instant.class)
            .setParameter(1, appId)
            .setParameter(2, RunState.SUCCEEDED)
            .getSingleResult());
  }

  /** Runs that ended before {@code cutoff}, oldest first, at most {@code max}. */
  @Transactional
  public List<UUID> endedBefore(Instant cutoff, Instant after, int max) {
    return Run.getEntityManager()
        .createQuery(
            "select r.id from Run r where r.finishedAt < ?1 and r.finishedAt >= ?2"
                + " order by r.finishedAt",
            UUID.class)
        .setParameter(1, cutoff)
        .setParameter(2, after)
        .setMaxResults(max)
        .getResultList();
  }

  /**
   * Runs whose solver started before {@code cutoff} that have not ended or ended after {@code
   * endedAfter}.
   */
  @Transactional
  public List<UUID> startedBefore(Instant cutoff, Instant endedAfter) {
    return Run.getEntityManager()
        .createQuery(
            "select r.id from Run r where r.startedAt < ?1"
                + " and (r.finishedAt is null or r.finishedAt >= ?2)",
            UUID.class)
        .setParameter(1, cutoff)
        .setParameter(2, endedAfter)
        .getResultList();
  }

  /** An app's most recent successful runs, for its performance model. */
  @Transactional
  public List<RunViews.CompletedRun> succeeded(String appId, int max) {
    List<Run> runs =
        Run.<Run>find(
                "appId = ?1 and state = ?2 and startedAt is not null and finishedAt is not null"
                    + " order by finishedAt desc",
                appId,
                RunState.SUCCEEDED)
            .page(0, max)
            .list();
    return runs.stream()
        .map(
            r ->
                new RunViews.CompletedRun(
                    r.problemSize == null ? 0 : r.problemSize,
                    r.cores,
                    java.time.Duration.between(r.startedAt, r.finishedAt).toMillis() / 1000.0))
        .filter(r -> r.seconds() > 0)
        .toList();
  }

  // ---------------------------------------------------------------- helpers

  /** A run the caller may read; an admin reading another org's run is audited. */
  private Run read(Caller caller, UUID id) {
    Run run = visible(caller, id);
    audit.recordAdminRead(caller, "run", run.id.toString(), run.org);
    return run;
  }

  private Run visible(Caller caller, UUID id) {
    Run run = Run.findById(id);
    if (run == null || !caller.canSee(run.org)) {
      throw ProblemException.notFound("run " + id);
    }
    return run;
  }

  RunView view(Run run) {
    return view(run, RunTransition.<RunTransition>list("runId = ?1 order by id", run.id));
  }

  private RunView view(Run run, List<RunTransition> history) {
    return view(
        run,
        history,
        JsonText.read(json, run.inputs, MAP),
        JsonText.read(json, run.inputFiles, STRING_MAP),
        run.placement == null
            ? null
            : JsonText.read(json, run.placement, Placement.Decision.class));
  }

  /** A run's view from its row and the values its JSON columns were written from. */
  private RunView view(
      Run run,
      List<RunTransition> history,
      Map<String, Object> inputs,
      Map<String, String> inputFiles,
      Placement.Decision decision) {
    List<RunViews.Transition> transitions =
        history.stream()
            .map(t -> new RunViews.Transition(t.fromState, t.toState, t.at, t.reason))
            .toList();
    return new RunView(
        run.id,
        run.org,
        run.createdBy,
        run.appId,
        run.appVersion,
        run.pluginId,
        run.jarSha256,
        run.state,
        run.progress,
        run.progressMessage,
        run.reason,
        inputs,
        inputFiles,
        new RunViews.Resources(
            run.cores,
            run.memoryMb,
            run.wallTimeSeconds / 60.0,
            run.backend,
            run.partitionName,
            run.clusterName,
            run.acceleratorKind == null
                ? null
                : new Accelerator(run.acceleratorKind, run.acceleratorModel, run.acceleratorCount)),
        RunPriority.ofLevel(run.priority).id(),
        decision,
        run.attempt,
        run.createdAt,
        run.scheduledAt,
        run.startedAt,
        run.finishedAt,
        transitions,
        run.holdAmount,
        run.settledAt);
  }

  static String contentType(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".csv")) {
      return "text/csv";
    } else if (lower.endsWith(".png")) {
      return "image/png";
    } else if (lower.endsWith(".json")) {
      return "application/json";
    } else if (lower.endsWith(".txt") || lower.endsWith(".log")) {
      return "text/plain";
    }
    return "application/octet-stream";
  }

  private String hash(LaunchRequest launch, Map<String, Object> inputs) {
    Map<String, Object> request = new TreeMap<>();
    request.put("appId", launch.appId());
    request.put("version", launch.version());
    request.put("inputs", inputs);
    // absent preferences leave the hash as it was before they existed
    if (launch.objective() != null) {
      request.put("objective", launch.objective());
    }
    if (launch.priority() != null) {
      request.put("priority", launch.priority());
    }
    return canonicalHash(request);
  }

  /** The same app inputs give the same key: the run-time history of one problem. */
  private String problemKey(String appId, Map<String, Object> values) {
    return canonicalHash(new TreeMap<>(Map.of("appId", appId, "inputs", values)));
  }

  private String canonicalHash(Map<String, Object> value) {
    try {
      return Hashing.sha256Hex(canonical.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException ignored) {
      // a leftover directory of a run that was never created is harmless
    }
  }
}
