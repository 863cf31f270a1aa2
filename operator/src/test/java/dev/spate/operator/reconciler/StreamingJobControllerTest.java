package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.kafka.FakeKafka;
import dev.spate.operator.kafka.KafkaInspector;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.spark.SparkConfKeys;
import dev.spate.testkit.KafkaBroker;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The StreamingJob controller against fabric8's mock API server in CRUD mode, with the generated
 * CRD created first. Kafka is unreachable here on purpose (a closed port): the controller must
 * deploy regardless and report Kafka in Degraded. The mock does not garbage-collect by owner
 * reference, so deletion is asserted on the operator's own cleanup.
 */
@EnableKubernetesMockClient(crud = true)
class StreamingJobControllerTest {

  static KubernetesClient client;

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private final List<SpateOperator> operators = new ArrayList<>();

  /** Kafka as the operator sees it, with switches; the real AdminClient path has its own tests. */
  private final FakeKafka kafka = new FakeKafka();

  private String ns;

  @BeforeAll
  static void createCrd() throws Exception {
    try (InputStream crd =
        CrdRuleEvaluator.class
            .getClassLoader()
            .getResourceAsStream(CrdRuleEvaluator.STREAMING_JOB_CRD)) {
      client
          .resource(
              client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
          .create();
    }
  }

  @BeforeEach
  void namespace() {
    ns = "test-" + NAMESPACES.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
  }

  @AfterEach
  void stopOperators() {
    operators.forEach(SpateOperator::close);
  }

  private SpateOperator startOperator(String instance) {
    return startOperator(instance, kafka);
  }

  private SpateOperator startOperator(
      String instance,
      dev.spate.operator.kafka.KafkaObserver.Factory<
              io.javaoperatorsdk.operator.processing.event.ResourceID>
          kafkaObserver) {
    OperatorConfig config =
        OperatorConfig.read(
            Map.of(
                "spate.namespaces", ns,
                "spate.reconcileInterval", "1s",
                "spate.kafkaPollInterval", "1s",
                "spate.defaultImage", "spate-spark:test",
                "spate.serverSideApply", "false",
                "spate.leaderElection", "false"),
            Map.of());
    SpateOperator operator =
        new SpateOperator(
            client,
            config,
            instance,
            io.javaoperatorsdk.operator.api.monitoring.Metrics.NOOP,
            kafkaObserver);
    operators.add(operator);
    operator.start();
    return operator;
  }

  private StreamingJob job(String name) {
    StreamingJob job = TestJobs.load("minimal");
    job.getMetadata().setNamespace(ns);
    job.getMetadata().setName(name);
    // one checkpoint location per job: the operator refuses a second job on a location
    job.getSpec()
        .getCheckpoint()
        .setLocation(
            "s3a://spate-checkpoints/"
                + job.getMetadata().getNamespace()
                + "/"
                + job.getMetadata().getName());
    job.getMetadata().setUid(null);
    // read through the FakeKafka
    job.getSpec().getKafka().setBootstrapServers("fake:9092");
    return job;
  }

  /**
   * Sets spec.suspend as a user's edit does: a patch, not a whole-object update, so a status write
   * of the operator in between does not make it fail with 409 Conflict.
   */
  private void suspend(String name, boolean suspend) {
    client
        .resources(StreamingJob.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            j -> {
              j.getSpec().setSuspend(suspend);
              return j;
            });
  }

  private StreamingJob current(String name) {
    return client.resources(StreamingJob.class).inNamespace(ns).withName(name).get();
  }

  private Optional<Condition> condition(String name, ConditionType type) {
    StreamingJob job = current(name);
    return job == null || job.getStatus() == null
        ? Optional.empty()
        : job.getStatus().condition(type);
  }

  private List<Pod> pods() {
    return client.pods().inNamespace(ns).list().getItems();
  }

  private List<Event> events(String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static void assertOwnedBy(HasMetadata owned, StreamingJob job) {
    assertThat(owned.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("StreamingJob");
              assertThat(ref.getApiVersion()).isEqualTo("spate.dev/v1alpha1");
              assertThat(ref.getName()).isEqualTo(job.getMetadata().getName());
              assertThat(ref.getUid()).isEqualTo(job.getMetadata().getUid());
              assertThat(ref.getController()).isTrue();
            });
    assertThat(owned.getMetadata().getLabels())
        .containsEntry(Labels.JOB, job.getMetadata().getName())
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGER);
  }

  @Test
  void applyCreatesOwnedObjectsAndWritesStatus() {
    startOperator("op-1");
    StreamingJob created = client.resource(job("clicks")).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace(ns).withName("clicks-driver-1").get())
                  .isNotNull();
              assertThat(client.services().inNamespace(ns).withName("clicks-driver-svc").get())
                  .isNotNull();
              assertThat(client.configMaps().inNamespace(ns).withName("clicks-spark-conf").get())
                  .isNotNull();
              assertThat(client.configMaps().inNamespace(ns).withName("clicks-control").get())
                  .isNotNull();
            });
    Pod driver = client.pods().inNamespace(ns).withName("clicks-driver-1").get();
    Service service = client.services().inNamespace(ns).withName("clicks-driver-svc").get();
    ConfigMap conf = client.configMaps().inNamespace(ns).withName("clicks-spark-conf").get();
    ConfigMap control = client.configMaps().inNamespace(ns).withName("clicks-control").get();
    for (HasMetadata owned : List.of(driver, service, conf, control)) {
      assertOwnedBy(owned, created);
    }
    assertThat(driver.getMetadata().getLabels())
        .containsEntry(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .containsKey(Labels.SPARK_APP_SELECTOR);
    assertThat(driver.getSpec().getContainers().get(0).getImage()).isEqualTo("spate-spark:test");
    assertThat(control.getData()).containsEntry(SparkConfKeys.CONTROL_DESIRED_EXECUTORS, "1");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = current("clicks");
              assertThat(job.getStatus()).isNotNull();
              assertThat(job.getStatus().getObservedGeneration())
                  .isEqualTo(job.getMetadata().getGeneration());
              assertThat(job.getStatus().getPhase()).isEqualTo(Phase.STARTING);
              assertThat(job.getStatus().getDriver().getPodName()).isEqualTo("clicks-driver-1");
              assertThat(job.getStatus().getSparkApplicationId())
                  .isEqualTo(driver.getMetadata().getLabels().get(Labels.SPARK_APP_SELECTOR));
              assertThat(job.getStatus().getExecutors().getSummary()).isEqualTo("0/1");
              assertThat(job.getStatus().getConditions())
                  .extracting(Condition::getType)
                  .containsExactly("Ready", "Progressing", "Degraded");
              assertThat(job.getStatus().condition(ConditionType.READY).orElseThrow().getReason())
                  .isEqualTo("DriverStarting");
              assertThat(
                      job.getStatus().condition(ConditionType.DEGRADED).orElseThrow().getReason())
                  .isEqualTo("AsExpected");
            });
    assertThat(events("DriverCreated")).hasSize(1);
    assertThat(events("NodeLocalCheckpoint")).as("s3a checkpoint").isEmpty();
    assertThat(kafka.targets().values())
        .singleElement()
        .satisfies(t -> assertThat(t.outputTopics()).containsExactly("clicks-per-user"));
  }

  @Test
  void noDriverStartsBeforeKafkaWasReadAndTheOutputTopicsExist() {
    kafka.down();
    startOperator("op-1");
    client.resource(job("careful")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = current("careful");
              assertThat(job.getStatus()).isNotNull();
              assertThat(job.getStatus().getPhase()).isEqualTo(Phase.PENDING);
              assertThat(
                      job.getStatus().condition(ConditionType.DEGRADED).orElseThrow().getReason())
                  .isEqualTo("KafkaUnavailable");
              assertThat(events("KafkaUnavailable"))
                  .isNotEmpty()
                  .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
            });
    assertThat(current("careful").getStatus().getStateParallelism())
        .as("never chosen from a failed Kafka read")
        .isNull();
    assertThat(driverPods()).isEmpty();

    kafka.missingOutputTopics("clicks-per-user").partitions(3);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = current("careful");
              Condition ready = job.getStatus().condition(ConditionType.READY).orElseThrow();
              assertThat(ready.getReason()).isEqualTo("OutputTopicNotFound");
              assertThat(ready.getMessage()).contains("clicks-per-user");
              assertThat(events("OutputTopicNotFound")).hasSize(1);
            });
    assertThat(driverPods()).as("no driver without its output topic").isEmpty();

    kafka.missingOutputTopics();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(driverPods()).singleElement();
              StreamingJob job = current("careful");
              assertThat(job.getStatus().getStateParallelism())
                  .as("chosen from the read that saw 3 partitions")
                  .isEqualTo(
                      dev.spate.operator.sizing.StateParallelism.pinned(
                          null,
                          3,
                          dev.spate.operator.sizing.SizingSpec.of(job.getSpec().getExecutor())));
              assertThat(job.getStatus().getAttempt()).isEqualTo(1);
            });
  }

  private List<Pod> driverPods() {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .list()
        .getItems();
  }

  @Test
  void reconcilingAgainCreatesNothingNewAndSecondInstanceAdopts() {
    SpateOperator first = startOperator("op-1");
    client.resource(job("orders")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.pods().inNamespace(ns).withName("orders-driver-1").get() != null
                    && condition("orders", ConditionType.READY).isPresent());
    Pod driver = client.pods().inNamespace(ns).withName("orders-driver-1").get();
    String configVersion =
        client
            .configMaps()
            .inNamespace(ns)
            .withName("orders-spark-conf")
            .get()
            .getMetadata()
            .getResourceVersion();

    // the reconcile interval is 1 s: let several reconciles pass, then check nothing was recreated
    await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(pods())
                  .singleElement()
                  .satisfies(
                      p ->
                          assertThat(p.getMetadata().getUid())
                              .isEqualTo(driver.getMetadata().getUid()));
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(ns)
                          .withName("orders-spark-conf")
                          .get()
                          .getMetadata()
                          .getResourceVersion())
                  .isEqualTo(configVersion);
              assertThat(client.services().inNamespace(ns).list().getItems()).hasSize(1);
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(ns)
                          .withLabel(Labels.JOB, "orders")
                          .list()
                          .getItems())
                  .hasSize(2);
            });
    assertThat(events("DriverCreated")).hasSize(1);

    // a second operator instance (the first one gone) adopts the driver instead of creating one
    first.close();
    operators.remove(first);
    startOperator("op-2");
    // make the driver ready, as a kubelet would: the new instance must pick it up
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder(driver)
                .editOrNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .withStartTime("2026-11-21T10:00:00Z")
                .endStatus()
                .build())
        .updateStatus();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = current("orders");
              assertThat(job.getStatus().getPhase())
                  .as("a first start with 0/1 executors is Starting, not Rescaling")
                  .isEqualTo(Phase.STARTING);
              assertThat(job.getStatus().condition(ConditionType.READY).orElseThrow().getStatus())
                  .isEqualTo(Condition.TRUE);
              assertThat(job.getStatus().getDriver().getStartTime())
                  .isEqualTo("2026-11-21T10:00:00Z");
            });
    assertThat(pods())
        .singleElement()
        .satisfies(
            p -> assertThat(p.getMetadata().getUid()).isEqualTo(driver.getMetadata().getUid()));
    assertThat(events("DriverCreated")).hasSize(1);
  }

  @Test
  void kafkaPartitionsSizeExecutorsAndLagReachesStatus() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      KafkaBroker kafka = broker;
      kafka.createTopic("clicks", 5);
      kafka.createTopic("clicks-per-user", 1);
      startOperator("op-1", KafkaInspector::new);
      StreamingJob job = job("sized-by-kafka");
      job.getSpec().getKafka().setBootstrapServers(kafka.bootstrapServers());
      var executor = new dev.spate.api.v1alpha1.ExecutorSpec();
      executor.setCores(2);
      executor.setMaxExecutors(8);
      job.getSpec().setExecutor(executor);
      client.resource(job).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                StreamingJob current = current("sized-by-kafka");
                assertThat(current.getStatus()).isNotNull();
                assertThat(current.getStatus().getKafka()).isNotNull();
                assertThat(current.getStatus().getKafka().getPartitions()).isEqualTo(5);
                assertThat(current.getStatus().getKafka().getLag()).isZero();
                assertThat(current.getStatus().getExecutors().getDesired())
                    .as("ceil(5 / 2)")
                    .isEqualTo(3);
                assertThat(
                        client
                            .configMaps()
                            .inNamespace(ns)
                            .withName("sized-by-kafka-control")
                            .get()
                            .getData())
                    .containsEntry(SparkConfKeys.CONTROL_DESIRED_EXECUTORS, "3");
                assertThat(
                        current
                            .getStatus()
                            .condition(ConditionType.DEGRADED)
                            .orElseThrow()
                            .getStatus())
                    .isEqualTo(Condition.FALSE);
                // the status records the attempt before its pod is created
                assertThat(client.pods().inNamespace(ns).withName("sized-by-kafka-driver-1").get())
                    .isNotNull();
              });
      // partitions grow: seen at the next poll, desired executors follow, the driver stays
      // (the attempt is recorded before its pod is created: wait for the pod itself)
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.pods().inNamespace(ns).withName("sized-by-kafka-driver-1").get() != null);
      String driverUid =
          client
              .pods()
              .inNamespace(ns)
              .withName("sized-by-kafka-driver-1")
              .get()
              .getMetadata()
              .getUid();
      kafka.addPartitions("clicks", 8);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(current("sized-by-kafka").getStatus().getExecutors().getDesired())
                    .isEqualTo(4);
                assertThat(
                        client
                            .configMaps()
                            .inNamespace(ns)
                            .withName("sized-by-kafka-control")
                            .get()
                            .getData())
                    .containsEntry(SparkConfKeys.CONTROL_DESIRED_EXECUTORS, "4");
              });
      assertThat(
              client
                  .pods()
                  .inNamespace(ns)
                  .withName("sized-by-kafka-driver-1")
                  .get()
                  .getMetadata()
                  .getUid())
          .isEqualTo(driverUid);
    }
  }

  @Test
  void executorPodsAreCountedByLabel() {
    startOperator("op-1");
    StreamingJob created = client.resource(job("sized")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.pods().inNamespace(ns).withName("sized-driver-1").get() != null);
    for (int i = 1; i <= 2; i++) {
      Pod executor =
          client
              .pods()
              .inNamespace(ns)
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("sized-exec-" + i)
                      .addToLabels(Labels.SPARK_ROLE, Labels.ROLE_EXECUTOR)
                      .addToLabels(Labels.JOB, "sized")
                      .endMetadata()
                      .withNewSpec()
                      .addNewContainer()
                      .withName("spark-kubernetes-executor")
                      .withImage("x")
                      .endContainer()
                      .endSpec()
                      .build())
              .create();
      if (i == 1) {
        client
            .pods()
            .inNamespace(ns)
            .resource(
                new PodBuilder(executor)
                    .editOrNewStatus()
                    .withPhase("Running")
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus("True")
                    .endCondition()
                    .endStatus()
                    .build())
            .updateStatus();
      }
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = current("sized");
              assertThat(job.getStatus().getExecutors().getReady()).isEqualTo(1);
              assertThat(job.getStatus().getExecutors().getDesired()).isEqualTo(1);
            });
    assertThat(created.getMetadata().getUid()).isNotNull();
  }

  @Test
  void invalidSpecIsNeverDeployed() {
    startOperator("op-1");
    StreamingJob bad = job("bad");
    bad.getSpec().setSparkConf(Map.of("spark.master", "local[*]"));
    client.resource(bad).create();
    StreamingJob badRule = job("bad-rule");
    badRule.getSpec().getExecutor(); // absent: set bounds out of order
    var executor = new dev.spate.api.v1alpha1.ExecutorSpec();
    executor.setMinExecutors(5);
    executor.setMaxExecutors(2);
    badRule.getSpec().setExecutor(executor);
    client.resource(badRule).create();
    StreamingJob noSecret = job("no-secret");
    var ref = new dev.spate.api.v1alpha1.SecretReference();
    ref.setName("missing");
    noSecret.getSpec().getKafka().setClientConfigSecretRef(ref);
    client.resource(noSecret).create();
    StreamingJob foreignImage = job("foreign-image");
    foreignImage.getSpec().setImage("registry.example.com/someone/else:1");
    client.resource(foreignImage).create();
    StreamingJob secretMount = job("secret-mount");
    secretMount.getSpec().setSparkConf(Map.of("spark.kubernetes.executor.secrets.db", "/db"));
    client.resource(secretMount).create();
    List<String> invalid = List.of("bad", "bad-rule", "no-secret", "foreign-image", "secret-mount");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (String name : invalid) {
                // the first status write may not have happened yet: an assertion, not an exception
                assertThat(condition(name, ConditionType.READY)).as(name).isPresent();
                Condition ready = condition(name, ConditionType.READY).orElseThrow();
                assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
                assertThat(ready.getReason()).isEqualTo("InvalidSpec");
                assertThat(current(name).getStatus().getPhase()).isEqualTo(Phase.PENDING);
              }
            });
    assertThat(condition("bad", ConditionType.READY).orElseThrow().getMessage())
        .contains("spark.master");
    assertThat(condition("bad-rule", ConditionType.READY).orElseThrow().getMessage())
        .contains("minExecutors");
    assertThat(condition("no-secret", ConditionType.READY).orElseThrow().getMessage())
        .contains("missing");
    assertThat(condition("foreign-image", ConditionType.READY).orElseThrow().getMessage())
        .startsWith(
            "spec.image: registry.example.com/someone/else:1 is not an image this operator may"
                + " run");
    assertThat(condition("secret-mount", ConditionType.READY).orElseThrow().getMessage())
        .startsWith("spec.sparkConf: sparkConf must not set spark.kubernetes.executor.secrets.db");
    assertThat(pods()).isEmpty();
    assertThat(client.configMaps().inNamespace(ns).withLabel(Labels.MANAGED_BY).list().getItems())
        .isEmpty();
    assertThat(events("InvalidSpec"))
        .hasSize(invalid.size())
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
  }

  @Test
  void checkpointCredentialsSecretMustExistWithBothKeysBeforeADriverStarts() {
    startOperator("op-1");
    StreamingJob job = job("s3-creds");
    var ref = new dev.spate.api.v1alpha1.CheckpointCredentials();
    ref.setName("s3-credentials");
    job.getSpec().getCheckpoint().setCredentialsSecretRef(ref);
    client.resource(job).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(condition("s3-creds", ConditionType.READY)).isPresent();
              Condition ready = condition("s3-creds", ConditionType.READY).orElseThrow();
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage())
                  .contains(
                      "spec.checkpoint.credentialsSecretRef.name: Secret s3-credentials not found");
              assertThat(events("InvalidSpec")).isNotEmpty();
            });
    assertThat(pods()).isEmpty();

    // the Secret appears with one of the two keys: still no driver, the message names the key
    client
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("s3-credentials")
                .withNamespace(ns)
                .endMetadata()
                .addToStringData("AWS_ACCESS_KEY_ID", "id")
                .build())
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(condition("s3-creds", ConditionType.READY).map(Condition::getMessage))
                    .get()
                    .asString()
                    .contains(
                        "spec.checkpoint.credentialsSecretRef.secretAccessKeyKey: Secret"
                            + " s3-credentials has no key AWS_SECRET_ACCESS_KEY"));
    assertThat(pods()).isEmpty();

    // the second key: the Secret's change alone starts the driver, with the env from the Secret
    client
        .secrets()
        .inNamespace(ns)
        .withName("s3-credentials")
        .edit(
            s -> {
              s.setData(
                  Map.of(
                      "AWS_ACCESS_KEY_ID",
                      "aWQ=",
                      "AWS_SECRET_ACCESS_KEY",
                      java.util.Base64.getEncoder().encodeToString("secret".getBytes())));
              s.setStringData(null);
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.pods().inNamespace(ns).withName("s3-creds-driver-1").get() != null);
    Pod driver = client.pods().inNamespace(ns).withName("s3-creds-driver-1").get();
    assertThat(driver.getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().startsWith("AWS_"))
        .extracting(
            e -> e.getName(),
            e -> e.getValue(),
            e -> e.getValueFrom().getSecretKeyRef().getName(),
            e -> e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "AWS_ACCESS_KEY_ID", null, "s3-credentials", "AWS_ACCESS_KEY_ID"),
            org.assertj.core.groups.Tuple.tuple(
                "AWS_SECRET_ACCESS_KEY", null, "s3-credentials", "AWS_SECRET_ACCESS_KEY"));
    String conf =
        client
            .configMaps()
            .inNamespace(ns)
            .withName("s3-creds-spark-conf")
            .get()
            .getData()
            .values()
            .iterator()
            .next();
    assertThat(conf)
        .as("executors get the env from the Secret; no credential value in the Spark conf")
        .contains(
            "spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID=s3-credentials\\:AWS_ACCESS_KEY_ID",
            "spark.kubernetes.executor.secretKeyRef.AWS_SECRET_ACCESS_KEY=s3-credentials\\:AWS_SECRET_ACCESS_KEY")
        .doesNotContain("aWQ=")
        .doesNotContain("=secret");
  }

  @Test
  void invalidUpdateLeavesTheRunningDriverAlone() {
    startOperator("op-1");
    client.resource(job("steady")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.pods().inNamespace(ns).withName("steady-driver-1").get() != null);
    Pod driver = client.pods().inNamespace(ns).withName("steady-driver-1").get();
    String confBefore =
        client
            .configMaps()
            .inNamespace(ns)
            .withName("steady-spark-conf")
            .get()
            .getData()
            .toString();

    // a patch, as a user's edit: a whole-object update races the operator's status write (409)
    client
        .resources(StreamingJob.class)
        .inNamespace(ns)
        .withName("steady")
        .edit(
            update -> {
              update.getSpec().setSparkConf(Map.of("spark.kubernetes.driver.pod.name", "x"));
              update.getSpec().getKafka().setOutputTopic("changed");
              return update;
            });

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Condition ready = condition("steady", ConditionType.READY).orElseThrow();
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(current("steady").getStatus().getObservedGeneration()).isEqualTo(2L);
              // each condition says which generation it was decided from (metav1.Condition)
              assertThat(current("steady").getStatus().getConditions())
                  .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));
            });
    assertThat(
            client.pods().inNamespace(ns).withName("steady-driver-1").get().getMetadata().getUid())
        .isEqualTo(driver.getMetadata().getUid());
    assertThat(
            client
                .configMaps()
                .inNamespace(ns)
                .withName("steady-spark-conf")
                .get()
                .getData()
                .toString())
        .as("nothing of the invalid spec is applied")
        .isEqualTo(confBefore);
    assertThat(events("InvalidSpec")).hasSize(1);
  }

  @Test
  void nodeLocalCheckpointIsWarnedAbout() {
    startOperator("op-1");
    StreamingJob job = job("local");
    job.getSpec().getCheckpoint().setLocation("file:///tmp/checkpoints/local");
    client.resource(job).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(events("NodeLocalCheckpoint"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getMessage()).contains("file:///tmp/checkpoints/local");
                        }));
    assertThat(client.pods().inNamespace(ns).withName("local-driver-1").get())
        .as("still deployed")
        .isNotNull();
  }

  @Test
  void deleteRemovesOwnedObjects() {
    startOperator("op-1");
    client.resource(job("gone")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.pods().inNamespace(ns).withName("gone-driver-1").get() != null
                    && client.configMaps().inNamespace(ns).withName("gone-control").get() != null);
    assertThat(current("gone").getMetadata().getFinalizers()).isNotEmpty();

    client.resources(StreamingJob.class).inNamespace(ns).withName("gone").delete();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(current("gone")).isNull();
              assertThat(pods()).isEmpty();
              assertThat(client.services().inNamespace(ns).list().getItems()).isEmpty();
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(ns)
                          .withLabel(Labels.JOB, "gone")
                          .list()
                          .getItems())
                  .isEmpty();
            });
  }

  @Test
  void suspendStopsTheDriverAndResumeStartsItAgain() {
    startOperator("op-1");
    client.resource(job("pausable")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.pods().inNamespace(ns).withName("pausable-driver-1").get() != null);
    io.fabric8.kubernetes.api.model.Secret auth =
        client.secrets().inNamespace(ns).withName("pausable-spark-auth").get();
    assertThat(auth.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("pausable");
    String key = auth.getData().get(dev.spate.operator.spark.SparkProperties.AUTH_SECRET_KEY);
    assertThat(new String(java.util.Base64.getDecoder().decode(key)))
        .as("256 random bits as hex text")
        .matches("[0-9a-f]{64}");
    assertThat(
            new String(
                java.util.Base64.getDecoder()
                    .decode(
                        auth.getData().get(dev.spate.operator.spark.SparkProperties.AUTH_ENV_KEY))))
        .as("what Spark makes of the file: its base64")
        .isEqualTo(key);
    assertThat(
            client
                .configMaps()
                .inNamespace(ns)
                .withName("pausable-spark-conf")
                .get()
                .getData()
                .get("spark.properties"))
        .contains("spark.authenticate=true")
        .contains(
            "spark.kubernetes.executor.secretKeyRef._SPARK_AUTH_SECRET=pausable-spark-auth\\:"
                + dev.spate.operator.spark.SparkProperties.AUTH_ENV_KEY);
    suspend("pausable", true);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(pods()).isEmpty();
              assertThat(current("pausable").getStatus().getPhase()).isEqualTo(Phase.SUSPENDED);
            });
    assertThat(client.configMaps().inNamespace(ns).withName("pausable-control").get())
        .as("only the driver goes away")
        .isNotNull();
    suspend("pausable", false);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(pods())
                    .extracting(p -> p.getMetadata().getName())
                    .as("resuming is a new attempt with its own pod name")
                    .containsExactly("pausable-driver-2"));
    // the Event follows the pod create
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(Set.copyOf(events("DriverCreated"))).hasSize(2));
    assertThat(
            client
                .secrets()
                .inNamespace(ns)
                .withName("pausable-spark-auth")
                .get()
                .getData()
                .get(dev.spate.operator.spark.SparkProperties.AUTH_SECRET_KEY))
        .as("every attempt's driver and executors share the one key generated at the first")
        .isEqualTo(key);
  }
}
