package dev.spate.operator.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spate.operator.decide.ConsumerLag;
import dev.spate.operator.decide.Reason;
import dev.spate.operator.lag.LagSeconds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads partition counts, offsets and consumer-group commits of every job's Kafka inputs, and
 * whether its output and dead-letter topics exist.
 *
 * <p>One {@link Admin} client per cluster ({@link KafkaTarget.Cluster}), shared by every job on it,
 * created when the first job on the cluster is {@link #watch watched} and closed when the last one
 * is {@link #unwatch unwatched}. Each cluster is polled every {@code pollInterval} with batched
 * calls for all of its jobs: one {@code describeTopics}, one {@code listOffsets} for the earliest
 * and one for the end offsets, one {@code listConsumerGroupOffsets} for all groups. Per job the
 * result is a {@link KafkaSnapshot}; when it changes (ignoring the time) the listener is told.
 *
 * <p>A failed poll (cluster unreachable, timeout, missing topic) becomes a snapshot with a {@link
 * KafkaSnapshot.Problem}; the next poll of a failing cluster waits twice as long each time, up to
 * {@code 8 × pollInterval} (at most 5 minutes, never less than the interval). Nothing is thrown to
 * callers.
 *
 * @param <K> the key of a job (the operator uses JOSDK's {@code ResourceID})
 */
public final class KafkaInspector<K> implements KafkaObserver<K> {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaInspector.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration pollInterval;
  private final Duration callTimeout;
  private final Function<Map<String, Object>, Admin> adminFactory;
  private final BiConsumer<K, KafkaSnapshot> onChange;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Map<KafkaTarget.Cluster, ClusterPoller> pollers = new HashMap<>();
  private final Map<K, KafkaTarget> targets = new HashMap<>();
  private final Map<K, KafkaSnapshot> snapshots = new ConcurrentHashMap<>();
  private volatile Consumer<PollRound> pollRounds = round -> {};

  /**
   * One poll round of a cluster: the batched Admin calls for all of its jobs.
   *
   * @param cluster the cluster's bootstrap servers (never its client settings)
   * @param clientSettings how many client properties the cluster's AdminClient has from a client
   *     config Secret (their names and values are never reported: they may hold credentials)
   * @param jobs jobs read in this round
   * @param groups distinct consumer groups read ({@code listConsumerGroupOffsets} group specs)
   * @param partitions input partitions read ({@code listOffsets} entries per offset spec)
   * @param took wall time of the round, from the first call to the last answer
   * @param ok whether the cluster answered
   */
  public record PollRound(
      String cluster,
      int clientSettings,
      int jobs,
      int groups,
      int partitions,
      Duration took,
      boolean ok) {}

  /**
   * Creates an inspector that creates real AdminClients.
   *
   * @param pollInterval time between two polls of a healthy cluster
   * @param onChange called (on the inspector's thread) with a job and its new snapshot whenever the
   *     snapshot changed
   */
  public KafkaInspector(Duration pollInterval, BiConsumer<K, KafkaSnapshot> onChange) {
    this(pollInterval, minTimeout(pollInterval), Admin::create, onChange, Clock.systemUTC());
  }

  /**
   * Creates an inspector.
   *
   * @param pollInterval time between two polls of a healthy cluster
   * @param callTimeout timeout of each Admin call of a poll
   * @param adminFactory creates an Admin client from its configuration
   * @param onChange called with a job and its new snapshot whenever it changed
   * @param clock time source of snapshots
   */
  public KafkaInspector(
      Duration pollInterval,
      Duration callTimeout,
      Function<Map<String, Object>, Admin> adminFactory,
      BiConsumer<K, KafkaSnapshot> onChange,
      Clock clock) {
    this.pollInterval = Objects.requireNonNull(pollInterval);
    this.callTimeout = Objects.requireNonNull(callTimeout);
    this.adminFactory = adminFactory;
    this.onChange = onChange;
    this.clock = clock;
    this.scheduler =
        Executors.newScheduledThreadPool(
            1,
            r -> {
              Thread t = new Thread(r, "spate-kafka-inspector");
              t.setDaemon(true);
              return t;
            });
  }

  private static Duration minTimeout(Duration pollInterval) {
    return pollInterval.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : pollInterval;
  }

  /**
   * Starts (or updates) reading Kafka for a job; idempotent. The first poll of a new cluster runs
   * at once.
   *
   * @param job the job's key
   * @param target what to read
   */
  @Override
  public synchronized void watch(K job, KafkaTarget target) {
    KafkaTarget previous = targets.put(job, target);
    if (target.equals(previous)) {
      pollers.get(target.cluster()).ensurePolling();
      return;
    }
    if (previous != null && !previous.cluster().equals(target.cluster())) {
      release(previous.cluster());
    }
    if (previous == null || !previous.cluster().equals(target.cluster())) {
      pollers.computeIfAbsent(target.cluster(), ClusterPoller::new).jobs++;
    }
    pollers.get(target.cluster()).pollSoon();
  }

  /**
   * Stops reading Kafka for a job; closes the cluster's AdminClient when no other job uses it.
   *
   * @param job the job's key
   */
  @Override
  public synchronized void unwatch(K job) {
    KafkaTarget previous = targets.remove(job);
    snapshots.remove(job);
    if (previous != null) {
      release(previous.cluster());
    }
  }

  /**
   * The last snapshot of a job.
   *
   * @param job the job's key
   * @return the snapshot, empty before the first poll finished
   */
  @Override
  public Optional<KafkaSnapshot> snapshot(K job) {
    return Optional.ofNullable(snapshots.get(job));
  }

  /**
   * Sets who is told of every finished poll round (benchmarks, tests); the default ignores them.
   * Called on the inspector's thread: must return quickly and not throw.
   *
   * @param listener the listener
   */
  public void onPollRound(Consumer<PollRound> listener) {
    this.pollRounds = Objects.requireNonNull(listener);
  }

  /**
   * @return the number of open AdminClients (one per cluster in use)
   */
  public synchronized int openClients() {
    return (int) pollers.values().stream().filter(p -> p.admin != null).count();
  }

  @Override
  public synchronized void close() {
    for (ClusterPoller poller : pollers.values()) {
      poller.stop();
    }
    pollers.clear();
    targets.clear();
    scheduler.shutdownNow();
  }

  private void release(KafkaTarget.Cluster cluster) {
    ClusterPoller poller = pollers.get(cluster);
    if (poller != null && --poller.jobs <= 0) {
      pollers.remove(cluster);
      poller.stop();
    }
  }

  private synchronized Map<K, KafkaTarget> targetsOf(KafkaTarget.Cluster cluster) {
    Map<K, KafkaTarget> result = new HashMap<>();
    targets.forEach(
        (job, target) -> {
          if (target.cluster().equals(cluster)) {
            result.put(job, target);
          }
        });
    return result;
  }

  private void publish(K job, KafkaSnapshot snapshot) {
    synchronized (this) {
      if (!targets.containsKey(job)) {
        return; // unwatched while polling
      }
    }
    KafkaSnapshot before = snapshots.put(job, snapshot);
    if (before == null || !before.withoutTime().equals(snapshot.withoutTime())) {
      try {
        onChange.accept(job, snapshot);
      } catch (RuntimeException e) {
        LOG.warn("Kafka snapshot listener failed for {}", job, e);
      }
    }
  }

  /** Polls one cluster for all of its jobs. */
  private final class ClusterPoller {
    private final KafkaTarget.Cluster cluster;
    private int jobs;
    private Admin admin;
    private ScheduledFuture<?> next;
    private int failures;
    private boolean stopped;

    /** End offsets observed over time, for lag in seconds (written by this poll chain only). */
    private final LagSeconds<TopicPartition> lagSeconds = new LagSeconds<>();

    /** Size of the last poll round: jobs, consumer groups, input partitions. */
    private int roundJobs;

    private int roundGroups;
    private int roundPartitions;

    /** A poll is running on the scheduler thread. */
    private boolean polling;

    /** {@link #pollSoon} was called while a poll ran: the next poll runs at once. */
    private boolean again;

    ClusterPoller(KafkaTarget.Cluster cluster) {
      this.cluster = cluster;
    }

    /** Polls at once: cancels the pending poll, or asks the running one to run again at once. */
    synchronized void pollSoon() {
      if (stopped) {
        return;
      }
      if (polling) {
        again = true; // the running poll reschedules itself with no delay (one chain, never two)
        return;
      }
      if (next != null) {
        next.cancel(false);
      }
      next = scheduler.schedule(this::pollAndReschedule, 0, TimeUnit.MILLISECONDS);
    }

    /** Restarts polling if no poll is running or pending (it never should be: belt and braces). */
    synchronized void ensurePolling() {
      if (!stopped && !polling && (next == null || next.isDone())) {
        LOG.warn("Kafka polling of {} had stopped; restarting it", cluster);
        next = scheduler.schedule(this::pollAndReschedule, 0, TimeUnit.MILLISECONDS);
      }
    }

    synchronized void stop() {
      stopped = true;
      if (next != null) {
        next.cancel(false);
      }
      if (admin != null) {
        Admin closing = admin;
        admin = null;
        // close off the poll thread: Admin.close waits for in-flight calls
        Thread closer =
            new Thread(() -> closing.close(Duration.ofSeconds(5)), "spate-kafka-admin-close");
        closer.setDaemon(true);
        closer.start();
      }
    }

    /**
     * One poll, then the next one is scheduled whatever happened: a poll that throws (an Admin that
     * cannot be created, a bug, an Error such as OutOfMemoryError) must not end the polling of the
     * cluster, else every job on it keeps its last numbers for good (a ScheduledExecutorService
     * runs nothing more of a task that threw, and tells no one).
     */
    private void pollAndReschedule() {
      boolean ok = false;
      boolean ran = false;
      long started = System.nanoTime();
      try {
        Admin client;
        synchronized (this) {
          if (stopped) {
            return;
          }
          polling = true;
          ran = true;
          again = false;
          if (admin == null) {
            admin = createAdmin();
          }
          client = admin;
        }
        ok = poll(client);
      } catch (Throwable e) { // NOPMD: see the method comment
        if (failures == 0) {
          LOG.error("Kafka poll of {} failed", cluster, e);
        } else {
          LOG.debug("Kafka poll of {} failed again", cluster, e);
        }
        try {
          failAll(targetsOf(cluster), e, clock.instant());
        } catch (RuntimeException recording) {
          LOG.warn("cannot record the failed Kafka poll of {}", cluster, recording);
        }
      } finally {
        if (ran) {
          endRound(ok, Duration.ofNanos(System.nanoTime() - started));
        }
        synchronized (this) {
          polling = false;
          if (!stopped) {
            failures = ok ? 0 : failures + 1;
            long delayMs = again ? 0 : delay().toMillis();
            again = false;
            next = scheduler.schedule(this::pollAndReschedule, delayMs, TimeUnit.MILLISECONDS);
          }
        }
      }
    }

    /** Tells the listener; warns when a round took longer than the poll interval. */
    private void endRound(boolean ok, Duration took) {
      if (took.compareTo(pollInterval) > 0 && ok) {
        LOG.warn(
            "Kafka poll round of {} ({} consumer groups, {} partitions) took {} ms, longer than"
                + " the poll interval {}",
            cluster,
            roundGroups,
            roundPartitions,
            took.toMillis(),
            pollInterval);
      }
      try {
        pollRounds.accept(
            new PollRound(
                cluster.toString(),
                cluster.clientConfig().size(),
                roundJobs,
                roundGroups,
                roundPartitions,
                took,
                ok));
      } catch (RuntimeException e) {
        LOG.warn("poll round listener failed", e);
      }
    }

    private Admin createAdmin() {
      Map<String, Object> config = new HashMap<>(cluster.clientConfig());
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
      config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "spate-operator");
      config.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
      config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) callTimeout.toMillis());
      config.putIfAbsent(
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) callTimeout.toMillis());
      return adminFactory.apply(config);
    }

    private Duration delay() {
      if (failures == 0) {
        return pollInterval;
      }
      Duration cap = pollInterval.multipliedBy(8);
      if (cap.compareTo(Duration.ofMinutes(5)) > 0) {
        cap =
            pollInterval.compareTo(Duration.ofMinutes(5)) > 0
                ? pollInterval
                : Duration.ofMinutes(5);
      }
      Duration d = pollInterval.multipliedBy(1L << Math.min(failures - 1, 10));
      return d.compareTo(cap) > 0 ? cap : d;
    }

    /**
     * @return whether the cluster answered (topic-level problems still count as answered)
     */
    private boolean poll(Admin client) {
      Map<K, KafkaTarget> jobs = targetsOf(cluster);
      roundJobs = jobs.size();
      roundGroups = 0;
      roundPartitions = 0;
      if (jobs.isEmpty()) {
        return true;
      }
      Instant now = clock.instant();
      long timeoutMs = callTimeout.toMillis();
      Set<String> topics = new TreeSet<>();
      Set<String> inputs = new HashSet<>();
      jobs.values()
          .forEach(
              t -> {
                topics.addAll(t.topics());
                topics.addAll(t.outputTopics());
                inputs.addAll(t.topics());
              });

      Map<String, TopicDescription> described = new HashMap<>();
      Map<String, String> missing = new HashMap<>();
      Map<String, KafkaFuture<TopicDescription>> futures =
          client
              .describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeoutMs))
              .topicNameValues();
      for (Map.Entry<String, KafkaFuture<TopicDescription>> f : futures.entrySet()) {
        try {
          described.put(f.getKey(), f.getValue().get(timeoutMs, TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
          if (e.getCause() instanceof UnknownTopicOrPartitionException) {
            missing.put(f.getKey(), "topic " + f.getKey() + " does not exist");
          } else {
            return failAll(jobs, e.getCause(), now);
          }
        } catch (TimeoutException e) {
          return failAll(jobs, e, now);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }

      List<TopicPartition> partitions = new ArrayList<>();
      described.values().stream()
          .filter(d -> inputs.contains(d.name()))
          .forEach(
              d ->
                  d.partitions()
                      .forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
      roundPartitions = partitions.size();
      Map<TopicPartition, Long> earliest;
      Map<TopicPartition, Long> end;
      Map<String, Map<TopicPartition, OffsetAndMetadata>> commits = new HashMap<>();
      try {
        earliest = offsets(client, partitions, OffsetSpec.earliest(), timeoutMs);
        end = offsets(client, partitions, OffsetSpec.latest(), timeoutMs);
        lagSeconds.observe(end, now);
        lagSeconds.retainOnly(end.keySet());
        Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
        jobs.values()
            .forEach(t -> groups.put(t.consumerGroup(), new ListConsumerGroupOffsetsSpec()));
        roundGroups = groups.size();
        var groupResult =
            client.listConsumerGroupOffsets(
                groups, new ListConsumerGroupOffsetsOptions().timeoutMs((int) timeoutMs));
        for (String group : groups.keySet()) {
          Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
          groupResult
              .partitionsToOffsetAndMetadata(group)
              .get(timeoutMs, TimeUnit.MILLISECONDS)
              .forEach(
                  (tp, om) -> {
                    if (om != null) {
                      committed.put(tp, om);
                    }
                  });
          commits.put(group, committed);
        }
      } catch (ExecutionException e) {
        return failAll(jobs, e.getCause(), now);
      } catch (TimeoutException e) {
        return failAll(jobs, e, now);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }

      for (Map.Entry<K, KafkaTarget> job : jobs.entrySet()) {
        KafkaTarget target = job.getValue();
        List<String> absent = target.topics().stream().filter(missing::containsKey).toList();
        if (!absent.isEmpty()) {
          publish(
              job.getKey(),
              KafkaSnapshot.failed(
                  Reason.TOPIC_NOT_FOUND,
                  "Input topic(s) " + String.join(", ", absent) + " not found on " + cluster + ".",
                  now));
          continue;
        }
        Set<String> own = new HashSet<>(target.topics());
        Map<TopicPartition, Long> jobEnd = new HashMap<>();
        end.forEach(
            (tp, o) -> {
              if (own.contains(tp.topic())) {
                jobEnd.put(tp, o);
              }
            });
        Map<TopicPartition, OffsetAndMetadata> groupCommits =
            commits.getOrDefault(target.consumerGroup(), Map.of());
        Map<TopicPartition, Long> committed = new HashMap<>();
        groupCommits.forEach((tp, om) -> committed.put(tp, om.offset()));
        long lag = ConsumerLag.totalLag(earliest, jobEnd, committed, target.startingOffsets());
        Long seconds =
            lagSeconds.lagSeconds(
                ConsumerLag.effectiveCommitted(
                    earliest, jobEnd, committed, target.startingOffsets()),
                now);
        CommitInfo last = lastCommit(groupCommits, own);
        List<String> absentOutputs =
            target.outputTopics().stream().filter(missing::containsKey).toList();
        publish(
            job.getKey(),
            new KafkaSnapshot(
                jobEnd.size(),
                lag,
                last.batchId(),
                last.time(),
                null,
                now,
                absentOutputs,
                seconds));
      }
      return true;
    }

    private boolean failAll(Map<K, KafkaTarget> jobs, Throwable cause, Instant now) {
      String message = "Kafka at " + cluster + " did not answer: " + describe(cause);
      if (failures == 0) {
        LOG.warn("{}", message);
      }
      jobs.keySet()
          .forEach(
              job -> publish(job, KafkaSnapshot.failed(Reason.KAFKA_UNAVAILABLE, message, now)));
      return false;
    }
  }

  /** {@code Type: message}, with the root cause's when it differs (e.g. an unresolvable host). */
  static String describe(Throwable cause) {
    if (cause == null) {
      return "unknown error";
    }
    String text = one(cause);
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == cause ? text : text + " (" + one(root) + ")";
  }

  private static String one(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private static Map<TopicPartition, Long> offsets(
      Admin client, List<TopicPartition> partitions, OffsetSpec spec, long timeoutMs)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, Long> result = new HashMap<>();
    if (request.isEmpty()) {
      return result;
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer =
        client
            .listOffsets(request, new ListOffsetsOptions().timeoutMs((int) timeoutMs))
            .all()
            .get(timeoutMs, TimeUnit.MILLISECONDS);
    answer.forEach((tp, info) -> result.put(tp, info.offset()));
    return result;
  }

  /** The newest {@code {batchId, timestamp}} commit metadata of the job's partitions. */
  record CommitInfo(Long batchId, String time) {}

  static CommitInfo lastCommit(Map<TopicPartition, OffsetAndMetadata> commits, Set<String> topics) {
    CommitInfo best = new CommitInfo(null, null);
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : commits.entrySet()) {
      if (!topics.contains(e.getKey().topic())) {
        continue;
      }
      CommitInfo info = parseMetadata(e.getValue().metadata());
      if (info.batchId() != null && (best.batchId() == null || info.batchId() > best.batchId())) {
        best = info;
      }
    }
    return best;
  }

  /**
   * Parses the offset committer's commit metadata, a JSON object {@code {"batchId": <long>,
   * "timestamp": <epoch ms or RFC 3339>}}; anything else yields no information.
   */
  static CommitInfo parseMetadata(String metadata) {
    if (metadata == null || metadata.isBlank()) {
      return new CommitInfo(null, null);
    }
    try {
      JsonNode node = JSON.readTree(metadata);
      Long batchId =
          node.hasNonNull("batchId") && node.get("batchId").canConvertToLong()
              ? node.get("batchId").asLong()
              : null;
      String time = null;
      JsonNode ts = node.get("timestamp");
      if (ts != null && ts.isNumber()) {
        time = Instant.ofEpochMilli(ts.asLong()).toString();
      } else if (ts != null && ts.isTextual()) {
        time = ts.asText();
      }
      return new CommitInfo(batchId, time);
    } catch (Exception e) {
      return new CommitInfo(null, null);
    }
  }

  /**
   * Parses a Kafka client properties file (the content of a job's client config Secret).
   *
   * @param text properties file content
   * @return the properties as a map
   * @throws IllegalArgumentException when the text is not a properties file
   */
  public static Map<String, String> parseClientProperties(String text) {
    Properties p = new Properties();
    try {
      p.load(new java.io.StringReader(text));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a Java properties file: " + e.getMessage(), e);
    }
    Map<String, String> map = new HashMap<>();
    p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
    return map;
  }
}
