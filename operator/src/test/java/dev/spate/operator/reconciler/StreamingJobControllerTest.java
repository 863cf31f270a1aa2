package dev.spate.operator.reconciler;

import static dev.spate.operator.reconciler.ControllerHarness.assertOwnedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.kafka.KafkaInspector;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.spark.SparkConfKeys;
import dev.spate.testkit.KafkaBroker;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The StreamingJob controller against fabric8's mock API server in CRUD mode, with the generated
 * CRD created first. Kafka is unreachable here on purpose (a closed port): the controller must
 * deploy regardless and report Kafka in Degraded. The mock does not garbage-collect by owner
 * reference, so deletion is asserted on the operator's own cleanup.
 */
@EnableKubernetesMockClient(crud = true)
class StreamingJobControllerTest {

  static KubernetesClient client;

  /**
   * Namespace, operators and Kafka as the operators see it: the harness's FakeKafka with switches
   * (the real AdminClient path has its own tests).
   */
  @RegisterExtension final ControllerHarness h = new ControllerHarness(client, "test");

  /** The minimal job, reading Kafka through the harness's FakeKafka. */
  private StreamingJob job(String name) {
    return h.job(name, "fake:9092");
  }

  /**
   * Sets spec.suspend as a user's edit does: a patch, not a whole-object update, so a status write
   * of the operator in between does not make it fail with 409 Conflict.
   */
  private void suspend(String name, boolean suspend) {
    client
        .resources(StreamingJob.class)
        .inNamespace(h.ns)
        .withName(name)
        .edit(
            j -> {
              j.getSpec().setSuspend(suspend);
              return j;
            });
  }

  private List<Pod> pods() {
    return client.pods().inNamespace(h.ns).list().getItems();
  }

  /** Waits until the named pod exists (the attempt is recorded in status before its pod). */
  private Pod awaitPod(String podName) {
    await().atMost(Duration.ofSeconds(30)).until(() -> h.pod(podName) != null);
    return h.pod(podName);
  }

  @Test
  void applyCreatesOwnedObjectsAndWritesStatus() {
    h.startOperator("op-1", Map.of());
    StreamingJob created = client.resource(job("clicks")).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(h.pod("clicks-driver-1")).isNotNull();
              assertThat(client.services().inNamespace(h.ns).withName("clicks-driver-svc").get())
                  .isNotNull();
              assertThat(h.configMap("clicks-spark-conf")).isNotNull();
              assertThat(h.configMap("clicks-control")).isNotNull();
            });
    Pod driver = h.pod("clicks-driver-1");
    Service service = client.services().inNamespace(h.ns).withName("clicks-driver-svc").get();
    ConfigMap conf = h.configMap("clicks-spark-conf");
    ConfigMap control = h.configMap("clicks-control");
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
              StreamingJob job = h.current("clicks");
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
    assertThat(h.events("DriverCreated")).hasSize(1);
    assertThat(h.events("NodeLocalCheckpoint")).as("s3a checkpoint").isEmpty();
    assertThat(h.kafka.targets().values())
        .singleElement()
        .satisfies(t -> assertThat(t.outputTopics()).containsExactly("clicks-per-user"));
  }

  @Test
  void noDriverStartsBeforeKafkaWasReadAndTheOutputTopicsExist() {
    h.kafka.down();
    h.startOperator("op-1", Map.of());
    client.resource(job("careful")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = h.current("careful");
              assertThat(job.getStatus()).isNotNull();
              assertThat(job.getStatus().getPhase()).isEqualTo(Phase.PENDING);
              assertThat(
                      job.getStatus().condition(ConditionType.DEGRADED).orElseThrow().getReason())
                  .isEqualTo("KafkaUnavailable");
              assertThat(h.events("KafkaUnavailable"))
                  .isNotEmpty()
                  .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
            });
    assertThat(h.current("careful").getStatus().getStateParallelism())
        .as("never chosen from a failed Kafka read")
        .isNull();
    assertThat(driverPods()).isEmpty();

    h.kafka.missingOutputTopics("clicks-per-user").partitions(3);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = h.current("careful");
              Condition ready = job.getStatus().condition(ConditionType.READY).orElseThrow();
              assertThat(ready.getReason()).isEqualTo("OutputTopicNotFound");
              assertThat(ready.getMessage()).contains("clicks-per-user");
              assertThat(h.events("OutputTopicNotFound")).hasSize(1);
            });
    assertThat(driverPods()).as("no driver without its output topic").isEmpty();

    h.kafka.missingOutputTopics();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(driverPods()).singleElement();
              StreamingJob job = h.current("careful");
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
        .inNamespace(h.ns)
        .withLabel(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .list()
        .getItems();
  }

  @Test
  void reconcilingAgainCreatesNothingNewAndSecondInstanceAdopts() {
    SpateOperator first = h.startOperator("op-1", Map.of());
    client.resource(job("orders")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                h.pod("orders-driver-1") != null
                    && h.condition("orders", ConditionType.READY).isPresent());
    Pod driver = h.pod("orders-driver-1");
    String configVersion = h.configMap("orders-spark-conf").getMetadata().getResourceVersion();

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
              assertThat(h.configMap("orders-spark-conf").getMetadata().getResourceVersion())
                  .isEqualTo(configVersion);
              assertThat(client.services().inNamespace(h.ns).list().getItems()).hasSize(1);
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(h.ns)
                          .withLabel(Labels.JOB, "orders")
                          .list()
                          .getItems())
                  .hasSize(2);
            });
    assertThat(h.events("DriverCreated")).hasSize(1);

    // a second operator instance (the first one gone) adopts the driver instead of creating one
    h.stopOperator(first);
    h.startOperator("op-2", Map.of());
    // make the driver ready, as a kubelet would: the new instance must pick it up
    h.driverReady("orders");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = h.current("orders");
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
    assertThat(h.events("DriverCreated")).hasSize(1);
  }

  @Test
  void kafkaPartitionsSizeExecutorsAndLagReachesStatus() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      KafkaBroker kafka = broker;
      kafka.createTopic("clicks", 5);
      kafka.createTopic("clicks-per-user", 1);
      h.startOperator("op-1", Map.of(), KafkaInspector::new);
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
                StreamingJob current = h.current("sized-by-kafka");
                assertThat(current.getStatus()).isNotNull();
                assertThat(current.getStatus().getKafka()).isNotNull();
                assertThat(current.getStatus().getKafka().getPartitions()).isEqualTo(5);
                assertThat(current.getStatus().getKafka().getLag()).isZero();
                assertThat(current.getStatus().getExecutors().getDesired())
                    .as("ceil(5 / 2)")
                    .isEqualTo(3);
                assertThat(h.configMap("sized-by-kafka-control").getData())
                    .containsEntry(SparkConfKeys.CONTROL_DESIRED_EXECUTORS, "3");
                assertThat(
                        current
                            .getStatus()
                            .condition(ConditionType.DEGRADED)
                            .orElseThrow()
                            .getStatus())
                    .isEqualTo(Condition.FALSE);
                // the status records the attempt before its pod is created
                assertThat(h.pod("sized-by-kafka-driver-1")).isNotNull();
              });
      // partitions grow: seen at the next poll, desired executors follow, the driver stays
      // (the attempt is recorded before its pod is created: wait for the pod itself)
      String driverUid = awaitPod("sized-by-kafka-driver-1").getMetadata().getUid();
      kafka.addPartitions("clicks", 8);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(h.current("sized-by-kafka").getStatus().getExecutors().getDesired())
                    .isEqualTo(4);
                assertThat(h.configMap("sized-by-kafka-control").getData())
                    .containsEntry(SparkConfKeys.CONTROL_DESIRED_EXECUTORS, "4");
              });
      assertThat(h.pod("sized-by-kafka-driver-1").getMetadata().getUid()).isEqualTo(driverUid);
    }
  }

  @Test
  void executorPodsAreCountedByLabel() {
    h.startOperator("op-1", Map.of());
    StreamingJob created = client.resource(job("sized")).create();
    awaitPod("sized-driver-1");
    h.executor("sized", 1);
    h.pendingExecutor("sized", 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = h.current("sized");
              assertThat(job.getStatus().getExecutors().getReady()).isEqualTo(1);
              assertThat(job.getStatus().getExecutors().getDesired()).isEqualTo(1);
            });
    assertThat(created.getMetadata().getUid()).isNotNull();
  }

  @Test
  void invalidSpecIsNeverDeployed() {
    h.startOperator("op-1", Map.of());
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
                assertThat(h.condition(name, ConditionType.READY)).as(name).isPresent();
                Condition ready = h.condition(name, ConditionType.READY).orElseThrow();
                assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
                assertThat(ready.getReason()).isEqualTo("InvalidSpec");
                assertThat(h.current(name).getStatus().getPhase()).isEqualTo(Phase.PENDING);
              }
            });
    assertThat(h.condition("bad", ConditionType.READY).orElseThrow().getMessage())
        .contains("spark.master");
    assertThat(h.condition("bad-rule", ConditionType.READY).orElseThrow().getMessage())
        .contains("minExecutors");
    assertThat(h.condition("no-secret", ConditionType.READY).orElseThrow().getMessage())
        .contains("missing");
    assertThat(h.condition("foreign-image", ConditionType.READY).orElseThrow().getMessage())
        .startsWith(
            "spec.image: registry.example.com/someone/else:1 is not an image this operator may"
                + " run");
    assertThat(h.condition("secret-mount", ConditionType.READY).orElseThrow().getMessage())
        .startsWith("spec.sparkConf: sparkConf must not set spark.kubernetes.executor.secrets.db");
    assertThat(pods()).isEmpty();
    assertThat(client.configMaps().inNamespace(h.ns).withLabel(Labels.MANAGED_BY).list().getItems())
        .isEmpty();
    assertThat(h.events("InvalidSpec"))
        .hasSize(invalid.size())
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
  }

  @Test
  void checkpointCredentialsSecretMustExistWithBothKeysBeforeADriverStarts() {
    h.startOperator("op-1", Map.of());
    StreamingJob job = job("s3-creds");
    var ref = new dev.spate.api.v1alpha1.CheckpointCredentials();
    ref.setName("s3-credentials");
    job.getSpec().getCheckpoint().setCredentialsSecretRef(ref);
    client.resource(job).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(h.condition("s3-creds", ConditionType.READY)).isPresent();
              Condition ready = h.condition("s3-creds", ConditionType.READY).orElseThrow();
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage())
                  .contains(
                      "spec.checkpoint.credentialsSecretRef.name: Secret s3-credentials not found");
              assertThat(h.events("InvalidSpec")).isNotEmpty();
            });
    assertThat(pods()).isEmpty();

    // the Secret appears with one of the two keys: still no driver, the message names the key
    client
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("s3-credentials")
                .withNamespace(h.ns)
                .endMetadata()
                .addToStringData("AWS_ACCESS_KEY_ID", "id")
                .build())
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(h.condition("s3-creds", ConditionType.READY).map(Condition::getMessage))
                    .get()
                    .asString()
                    .contains(
                        "spec.checkpoint.credentialsSecretRef.secretAccessKeyKey: Secret"
                            + " s3-credentials has no key AWS_SECRET_ACCESS_KEY"));
    assertThat(pods()).isEmpty();

    // the second key: the Secret's change alone starts the driver, with the env from the Secret
    client
        .secrets()
        .inNamespace(h.ns)
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
    Pod driver = awaitPod("s3-creds-driver-1");
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
    String conf = h.configMap("s3-creds-spark-conf").getData().values().iterator().next();
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
    h.startOperator("op-1", Map.of());
    client.resource(job("steady")).create();
    Pod driver = awaitPod("steady-driver-1");
    String confBefore = h.configMap("steady-spark-conf").getData().toString();

    // a patch, as a user's edit: a whole-object update races the operator's status write (409)
    client
        .resources(StreamingJob.class)
        .inNamespace(h.ns)
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
              Condition ready = h.condition("steady", ConditionType.READY).orElseThrow();
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(h.current("steady").getStatus().getObservedGeneration()).isEqualTo(2L);
              // each condition says which generation it was decided from (metav1.Condition)
              assertThat(h.current("steady").getStatus().getConditions())
                  .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));
            });
    assertThat(h.pod("steady-driver-1").getMetadata().getUid())
        .isEqualTo(driver.getMetadata().getUid());
    assertThat(h.configMap("steady-spark-conf").getData().toString())
        .as("nothing of the invalid spec is applied")
        .isEqualTo(confBefore);
    assertThat(h.events("InvalidSpec")).hasSize(1);
  }

  @Test
  void nodeLocalCheckpointIsWarnedAbout() {
    h.startOperator("op-1", Map.of());
    StreamingJob job = job("local");
    job.getSpec().getCheckpoint().setLocation("file:///tmp/checkpoints/local");
    client.resource(job).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(h.events("NodeLocalCheckpoint"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getMessage()).contains("file:///tmp/checkpoints/local");
                        }));
    assertThat(h.pod("local-driver-1")).as("still deployed").isNotNull();
  }

  @Test
  void deleteRemovesOwnedObjects() {
    h.startOperator("op-1", Map.of());
    client.resource(job("gone")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.pod("gone-driver-1") != null && h.configMap("gone-control") != null);
    assertThat(h.current("gone").getMetadata().getFinalizers()).isNotEmpty();

    client.resources(StreamingJob.class).inNamespace(h.ns).withName("gone").delete();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(h.current("gone")).isNull();
              assertThat(pods()).isEmpty();
              assertThat(client.services().inNamespace(h.ns).list().getItems()).isEmpty();
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(h.ns)
                          .withLabel(Labels.JOB, "gone")
                          .list()
                          .getItems())
                  .isEmpty();
            });
  }

  @Test
  void suspendStopsTheDriverAndResumeStartsItAgain() {
    h.startOperator("op-1", Map.of());
    client.resource(job("pausable")).create();
    awaitPod("pausable-driver-1");
    io.fabric8.kubernetes.api.model.Secret auth =
        client.secrets().inNamespace(h.ns).withName("pausable-spark-auth").get();
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
    assertThat(h.configMap("pausable-spark-conf").getData().get("spark.properties"))
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
              assertThat(h.current("pausable").getStatus().getPhase()).isEqualTo(Phase.SUSPENDED);
            });
    assertThat(h.configMap("pausable-control")).as("only the driver goes away").isNotNull();
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
        .untilAsserted(() -> assertThat(Set.copyOf(h.events("DriverCreated"))).hasSize(2));
    assertThat(
            client
                .secrets()
                .inNamespace(h.ns)
                .withName("pausable-spark-auth")
                .get()
                .getData()
                .get(dev.spate.operator.spark.SparkProperties.AUTH_SECRET_KEY))
        .as("every attempt's driver and executors share the one key generated at the first")
        .isEqualTo(key);
  }
}
