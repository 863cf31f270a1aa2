package dev.spate.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker for tests and the local sandbox: one KRaft node that is both broker
 * and controller ({@code process.roles=broker,controller}), running inside this JVM on free
 * loopback ports with its log directory in a fresh temporary directory.
 *
 * <p>Start-up formats the log directory the way {@code kafka-storage.sh format} does (Kafka's
 * storage {@link Formatter}) and then starts {@link KafkaRaftServer}; it returns once the broker is
 * unfenced and accepts clients (about 2.5 s on a 2-core machine). {@link #stop()} and {@link
 * #restart()} keep the ports and the log directory, so clients see "broker down → broker back" with
 * their data intact. {@link #close()} shuts the broker down and deletes the directory.
 *
 * <p>Defaults suited to one node: replication factor 1 for internal topics, one {@code
 * __consumer_offsets} partition, no initial rebalance delay, topic auto-creation on.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start()) {
 *     kafka.createTopic("events", 4);
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>Not thread-safe: start, stop, restart and close from one thread.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String TLS_LISTENER = "SSL";
  private static final int NODE_ID = 1;

  private final Path logDir;
  private final int brokerPort;
  private final int controllerPort;
  private final int tlsPort;
  private final Properties config;
  private KafkaRaftServer server;
  private boolean closed;

  private KafkaBroker(
      Path logDir,
      int brokerPort,
      int controllerPort,
      Map<String, String> overrides,
      SelfSignedTls tls) {
    this.logDir = logDir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.tlsPort = tls == null ? 0 : freePort();
    this.config = brokerConfig(logDir, brokerPort, controllerPort);
    if (tls != null) {
      addTlsListener(config, tlsPort, tls);
    }
    overrides.forEach(config::setProperty);
  }

  /**
   * Formats a new log directory and starts a broker with the default configuration.
   *
   * @return the running broker
   * @throws IllegalStateException when formatting or start-up fails (the directory is deleted)
   */
  public static KafkaBroker start() {
    return start(Map.of());
  }

  /**
   * Formats a new log directory and starts a broker.
   *
   * @param overrides broker configuration keys (Kafka's {@code server.properties} names, e.g.
   *     {@code log.retention.ms}) that replace the defaults; ports, roles and directories are
   *     chosen here and should not be overridden
   * @return the running broker
   * @throws IllegalStateException when formatting or start-up fails (the directory is deleted)
   */
  public static KafkaBroker start(Map<String, String> overrides) {
    return start(overrides, null);
  }

  /**
   * Formats a new log directory and starts a broker that also has a TLS listener ({@code SSL}, no
   * client authentication) with the given server certificate, next to the plaintext one.
   *
   * @param tls the server's keystore ({@link SelfSignedTls#create})
   * @return the running broker; {@link #tlsBootstrapServers()} is its TLS address
   * @throws IllegalStateException when formatting or start-up fails (the directory is deleted)
   */
  public static KafkaBroker startWithTls(SelfSignedTls tls) {
    return start(Map.of(), tls);
  }

  private static KafkaBroker start(Map<String, String> overrides, SelfSignedTls tls) {
    Path dir;
    try {
      dir = Files.createTempDirectory("spate-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's log directory", e);
    }
    KafkaBroker broker = new KafkaBroker(dir, freePort(), freePort(), overrides, tls);
    try {
      broker.format();
      broker.startServer();
      return broker;
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /**
   * @return {@code bootstrap.servers} for clients, {@code 127.0.0.1:<port>}; stable across {@link
   *     #stop()} and {@link #restart()}
   */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /**
   * @return {@code bootstrap.servers} of the TLS listener, {@code 127.0.0.1:<port>} (clients set
   *     {@code security.protocol=SSL} and trust the certificate)
   * @throws IllegalStateException when the broker was started without TLS
   */
  public String tlsBootstrapServers() {
    if (tlsPort == 0) {
      throw new IllegalStateException("started without a TLS listener (startWithTls)");
    }
    return "127.0.0.1:" + tlsPort;
  }

  /**
   * @return the broker's log directory (also holds the KRaft metadata log)
   */
  public Path logDir() {
    return logDir;
  }

  /**
   * @return whether the broker is currently running (started and not stopped)
   */
  public boolean isRunning() {
    return server != null;
  }

  /**
   * Creates a topic with replication factor 1 and waits until the controller accepted it.
   *
   * @param name topic name
   * @param partitions number of partitions, at least 1
   * @throws IllegalStateException when the broker rejects the request (e.g. the topic exists)
   */
  public void createTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
      awaitLeaders(admin, name, partitions);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topic " + name + ": " + e.getCause(), e.getCause());
    }
  }

  /**
   * Grows a topic to {@code totalPartitions} partitions (Kafka never shrinks a topic).
   *
   * @param name topic name
   * @param totalPartitions the new total number of partitions, larger than the current one
   * @throws IllegalStateException when the broker rejects the request
   */
  public void addPartitions(String name, int totalPartitions) {
    try (Admin admin = admin()) {
      admin.createPartitions(Map.of(name, NewPartitions.increaseTo(totalPartitions))).all().get();
      awaitLeaders(admin, name, totalPartitions);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while adding partitions to " + name, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot grow topic " + name + ": " + e.getCause(), e.getCause());
    }
  }

  /**
   * Waits until the broker's metadata shows {@code partitions} partitions of {@code topic}, each
   * with a leader. In KRaft, {@code createTopics}/{@code createPartitions} complete once the
   * controller committed the change; the broker applies it a little later, and a producer that
   * sends in between gets {@code NOT_LEADER_OR_FOLLOWER} (and, with idempotence, can end in an
   * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} retry loop on a slow machine).
   *
   * @throws IllegalStateException when that does not happen within 30 s
   */
  private static void awaitLeaders(Admin admin, String topic, int partitions)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        if (description != null
            && description.partitions().size() >= partitions
            && description.partitions().stream()
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty())
            && hostedPartitions(admin, topic) >= partitions) {
          return;
        }
      } catch (ExecutionException e) {
        // not known to the broker yet: ask again
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "topic " + topic + " has no leader for all " + partitions + " partitions after 30 s");
      }
      Thread.sleep(20); // polling the broker's metadata, as a client's metadata refresh would
    }
  }

  /**
   * Partitions of {@code topic} whose log the broker's replica manager has created
   * (describeLogDirs).
   */
  private static long hostedPartitions(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    return admin
        .describeLogDirs(List.of(NODE_ID))
        .allDescriptions()
        .get()
        .getOrDefault(NODE_ID, Map.of())
        .values()
        .stream()
        .flatMap(dir -> dir.replicaInfos().keySet().stream())
        .filter(tp -> tp.topic().equals(topic))
        .distinct()
        .count();
  }

  /**
   * Opens an {@link Admin} client on this broker; the caller closes it.
   *
   * @return a new admin client
   */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /**
   * Opens a producer of String keys and values on this broker (the producer defaults otherwise);
   * the caller closes it.
   *
   * @return a new producer
   */
  public KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
  }

  /**
   * Shuts the broker down and waits until it stopped, keeping ports and log directory for {@link
   * #restart()}. Does nothing when already stopped.
   */
  public void stop() {
    if (server != null) {
      KafkaRaftServer running = server;
      server = null;
      running.shutdown();
      running.awaitShutdown();
    }
  }

  /**
   * Starts the broker again on the same ports and log directory after {@link #stop()}.
   *
   * @throws IllegalStateException when it is running already, was closed, or fails to start
   */
  public void restart() {
    if (closed) {
      throw new IllegalStateException("broker was closed");
    }
    if (server != null) {
      throw new IllegalStateException("broker is running; stop() it first");
    }
    startServer();
  }

  /** Stops the broker (if running) and deletes its log directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      deleteRecursively(logDir);
    }
  }

  private void format() {
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setClusterId(Uuid.randomUuid().toString())
            .setNodeId(NODE_ID)
            .setControllerListenerName(CONTROLLER_LISTENER)
            .setMetadataLogDirectory(logDir.toString())
            .setDirectories(List.of(logDir.toString()))
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
    try {
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka log directory " + logDir + ": " + e, e);
    }
  }

  private void startServer() {
    KafkaRaftServer started = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
    try {
      started.startup();
    } catch (RuntimeException e) {
      started.shutdown();
      started.awaitShutdown();
      throw new IllegalStateException("Kafka broker failed to start: " + e, e);
    }
    server = started;
  }

  private static Properties brokerConfig(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", String.valueOf(NODE_ID));
    p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners",
        BROKER_LISTENER
            + "://127.0.0.1:"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://127.0.0.1:"
            + controllerPort);
    p.setProperty("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort);
    p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
    p.setProperty("inter.broker.listener.name", BROKER_LISTENER);
    p.setProperty(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.setProperty("log.dirs", logDir.toString());
    p.setProperty("num.partitions", "1");
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("auto.create.topics.enable", "true");
    p.setProperty("log.cleaner.enable", "false");
    return p;
  }

  /**
   * Adds the listener {@code SSL://127.0.0.1:<port>} with the server's PKCS12 keystore (Kafka's
   * {@code listener.name.<listener>.ssl.*} keys); inter-broker and controller traffic stay on the
   * plaintext listeners.
   */
  private static void addTlsListener(Properties p, int port, SelfSignedTls tls) {
    p.setProperty(
        "listeners", p.getProperty("listeners") + "," + TLS_LISTENER + "://127.0.0.1:" + port);
    p.setProperty(
        "advertised.listeners",
        p.getProperty("advertised.listeners") + "," + TLS_LISTENER + "://127.0.0.1:" + port);
    p.setProperty(
        "listener.security.protocol.map",
        p.getProperty("listener.security.protocol.map") + "," + TLS_LISTENER + ":SSL");
    String prefix = "listener.name." + TLS_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
    p.setProperty(prefix + "ssl.keystore.type", "PKCS12");
    p.setProperty(prefix + "ssl.keystore.location", tls.keystore().toString());
    p.setProperty(prefix + "ssl.keystore.password", tls.password());
    p.setProperty(prefix + "ssl.key.password", tls.password());
    p.setProperty(prefix + "ssl.client.auth", "none");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
