package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.api.SandboxApiServer;
import dev.spate.sandbox.kubelet.ProcessKubelet;
import dev.spate.testkit.KafkaBroker;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The bundled job on the sandbox without the operator: a driver Pod made by hand (properties as
 * docs/CONTRACT.md names them) runs {@code StatefulAggregationJob} from the image's {@code
 * /opt/spate/spate-job.jar} against a real broker with two executor pods and a checkpoint on a PVC
 * shared by driver and executors; the output equals the totals computed from the file, the offset
 * committer brings the group's lag to 0, and deleting the driver pod garbage-collects the executor
 * pods and stops every JVM.
 */
class StatefulJobOnSandboxTest {

  private static final String NS = "jobs";

  @Test
  void statefulAggregationJobRunsOnTheSandbox() throws Exception {
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("job-" + System.currentTimeMillis())
            .toAbsolutePath();
    SandboxApiServer api = SandboxApiServer.start(false);
    ProcessKubelet kubelet = null;
    KafkaBroker kafka = null;
    AtomicBoolean stop = new AtomicBoolean();
    try {
      KubernetesClient client = api.client();
      kubelet =
          ProcessKubelet.start(
              client,
              ProcessKubelet.Config.defaults(Sandbox.locateSparkHome(), runDir, api.url(), false));
      kafka = KafkaBroker.start();
      kafka.createTopic("flights", 4);
      kafka.createTopic("flights-per-origin", 4);
      kafka.createTopic("flights-dlq", 1);
      String conf =
          String.join(
              "\n",
              "spark.app.name=flights",
              "spark.kubernetes.namespace=" + NS,
              "spark.kubernetes.driver.pod.name=flights-driver",
              "spark.kubernetes.container.image=spate/spark:local",
              "spark.kubernetes.executor.podNamePrefix=flights",
              "spark.executor.instances=2",
              "spark.executor.cores=1",
              "spark.executor.memory=512m",
              "spark.driver.memory=512m",
              "spark.ui.enabled=false",
              "spark.sql.shuffle.partitions=4",
              "spark.kubernetes.executor.volumes.persistentVolumeClaim.ckpt.options.claimName=checkpoints",
              "spark.kubernetes.executor.volumes.persistentVolumeClaim.ckpt.mount.path=/checkpoints",
              "spark.sql.streaming.streamingQueryListeners=dev.spate.job.OffsetCommitter",
              "spark.spate.kafka.bootstrapServers=" + kafka.bootstrapServers(),
              "spark.spate.kafka.inputTopics=flights",
              "spark.spate.kafka.outputTopic=flights-per-origin",
              "spark.spate.kafka.deadLetterTopic=flights-dlq",
              "spark.spate.kafka.consumerGroup=flights-job",
              "spark.spate.kafka.startingOffsets=earliest",
              "spark.spate.trigger.processingTime=2s",
              "spark.spate.checkpoint.location=file:///checkpoints/flights",
              "spark.spate.aggregation.keyField=origin",
              "spark.spate.aggregation.valueField=delay",
              "spark.spate.aggregation.eventTimeField=date",
              "spark.spate.aggregation.eventTimeFormat=yyyy/MM/dd HH:mm",
              "spark.spate.terminationMessagePath=/dev/termination-log",
              "");
      client
          .configMaps()
          .inNamespace(NS)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("flights-conf")
                  .endMetadata()
                  .addToData("spark.properties", conf)
                  .build())
          .create();
      Pod driver =
          client
              .pods()
              .inNamespace(NS)
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("flights-driver")
                      .addToLabels("spark-role", "driver")
                      .endMetadata()
                      .withNewSpec()
                      .withTerminationGracePeriodSeconds(10L)
                      .addNewContainer()
                      .withName("spark-kubernetes-driver")
                      .withImage("spate/spark:local")
                      .withArgs(
                          "driver",
                          "--properties-file",
                          "/opt/spate/conf/spark.properties",
                          "--class",
                          "dev.spate.job.StatefulAggregationJob",
                          "local:///opt/spate/spate-job.jar")
                      .addNewEnv()
                      .withName("SPARK_DRIVER_BIND_ADDRESS")
                      .withNewValueFrom()
                      .withNewFieldRef()
                      .withFieldPath("status.podIP")
                      .endFieldRef()
                      .endValueFrom()
                      .endEnv()
                      .addNewVolumeMount()
                      .withName("conf")
                      .withMountPath("/opt/spate/conf")
                      .endVolumeMount()
                      .addNewVolumeMount()
                      .withName("ckpt")
                      .withMountPath("/checkpoints")
                      .endVolumeMount()
                      .withTerminationMessagePolicy("FallbackToLogsOnError")
                      .endContainer()
                      .addNewVolume()
                      .withName("conf")
                      .withNewConfigMap()
                      .withName("flights-conf")
                      .endConfigMap()
                      .endVolume()
                      .addNewVolume()
                      .withName("ckpt")
                      .withNewPersistentVolumeClaim()
                      .withClaimName("checkpoints")
                      .endPersistentVolumeClaim()
                      .endVolume()
                      .endSpec()
                      .build())
              .create();

      Map<String, JsonNode> latest = new ConcurrentHashMap<>();
      AtomicReference<Instant> first = new AtomicReference<>();
      String bootstrap = kafka.bootstrapServers();
      Thread consumer =
          new Thread(
              () -> DemoScenario.consume(bootstrap, "flights-per-origin", latest, first, stop));
      consumer.setDaemon(true);
      consumer.start();
      AtomicLong produced = new AtomicLong();
      DemoScenario.produce(bootstrap, "flights", data, produced);
      assertThat(produced.get()).isEqualTo(20_000);

      try (Admin admin = kafka.admin()) {
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () -> {
                  Pod d = client.pods().inNamespace(NS).withName("flights-driver").get();
                  assertThat(d.getStatus().getPhase()).as("driver").isEqualTo("Running");
                  assertThat(DemoScenario.matching(data, latest)).isEqualTo(220);
                  assertThat(DemoScenario.lag(admin, "flights", "flights-job")).isZero();
                });
      }
      assertThat(latest).hasSize(220);
      assertThat(
              client.pods().inNamespace(NS).withLabel("spark-role", "executor").list().getItems())
          .hasSize(2)
          .allSatisfy(
              p ->
                  assertThat(p.getMetadata().getOwnerReferences().get(0).getUid())
                      .isEqualTo(driver.getMetadata().getUid()));

      client.pods().inNamespace(NS).withName("flights-driver").delete();
      ProcessKubelet k = kubelet;
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
                assertThat(k.liveProcesses()).isEmpty();
              });
      assertThat(kubelet.startedProcesses()).hasSizeGreaterThanOrEqualTo(3);
    } finally {
      stop.set(true);
      if (kubelet != null) {
        kubelet.close();
      }
      if (kafka != null) {
        kafka.close();
      }
      api.close();
    }
  }
}
