package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.SecretReference;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.SpateOperator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator holds in memory only the Secrets jobs reference (and its own {@code
 * <job>-spark-auth} Secrets, found by label): in a namespace full of other teams' Secrets it never
 * lists or watches Secrets without a selector, its Secret cache holds the referenced ones only, a
 * Secret no job names any more leaves the cache, and a referenced Secret that appears later still
 * starts the job. Asserted on the operator's cache and on the requests the mock API server
 * recorded.
 */
@EnableKubernetesMockClient(crud = true)
class ReferencedSecretsTest {

  static KubernetesClient client;
  static KubernetesMockServer server;

  @RegisterExtension final ControllerHarness h = new ControllerHarness(client, "secrets");

  private Secret secret(String name, Map<String, String> data) {
    return client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(h.ns)
                .endMetadata()
                .withStringData(data)
                .build())
        .create();
  }

  private StreamingJob jobWithClientSecret(String name, String secret) {
    StreamingJob job = h.job(name, "fake:9092");
    SecretReference ref = new SecretReference();
    ref.setName(secret);
    job.getSpec().getKafka().setClientConfigSecretRef(ref);
    return job;
  }

  /** Every request of the mock server since the last call, as "METHOD decoded-path". */
  private static List<String> requests() throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (RecordedRequest r; (r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
      out.add(r.getMethod() + " " + URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static boolean readsSecrets(String request) {
    String path = request.substring(request.indexOf(' ') + 1).split("\\?")[0];
    return request.startsWith("GET ")
        && (path.equals("/api/v1/secrets") || path.matches("/api/v1/namespaces/[^/]+/secrets"));
  }

  @Test
  void onlyTheReferencedSecretIsListedWatchedAndCached() throws Exception {
    for (int i = 0; i < 20; i++) {
      secret("team-b-" + i, Map.of("password", "hunter" + i));
    }
    secret("kafka-client", Map.of("client.properties", "client.id=spate-test\n"));
    requests(); // what the test itself did so far
    SpateOperator operator = h.startOperator("op-1", Map.of());
    client.resource(jobWithClientSecret("reader", "kafka-client")).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(h.driver("reader")).isNotNull());
    ReferencedSecrets cache = operator.reconciler().referencedSecrets();
    assertThat(cache.list())
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("kafka-client");
    assertThat(cache.referenced()).containsExactly(new ResourceID("kafka-client", h.ns));

    List<String> secretReads = requests().stream().filter(r -> readsSecrets(r)).toList();
    assertThat(secretReads)
        .as("lists and watches of Secrets")
        .isNotEmpty()
        .allSatisfy(
            r ->
                assertThat(r)
                    .as("no list or watch of every Secret")
                    .containsAnyOf(
                        "fieldSelector=metadata.name=kafka-client",
                        "labelSelector=app.kubernetes.io/managed-by=spate"));
    assertThat(secretReads)
        .filteredOn(r -> r.contains("watch=true"))
        .anySatisfy(r -> assertThat(r).contains("fieldSelector=metadata.name=kafka-client"));
    assertThat(String.join("\n", secretReads)).doesNotContain("team-b-");
  }

  /** The RBAC verb of a request on Secrets, or null for another resource. */
  private static String secretVerb(String request) {
    String method = request.substring(0, request.indexOf(' '));
    String path = request.substring(request.indexOf(' ') + 1).split("\\?")[0];
    boolean collection =
        path.equals("/api/v1/secrets") || path.matches("/api/v1/namespaces/[^/]+/secrets");
    boolean named = path.matches("/api/v1/namespaces/[^/]+/secrets/[^/]+");
    if (!collection && !named) {
      return null;
    }
    return switch (method) {
      case "GET" -> named ? "get" : request.contains("watch=true") ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method;
    };
  }

  @Test
  void theOperatorUsesExactlyItsSecretGrant() throws Exception {
    secret("kafka-client", Map.of("client.properties", "client.id=spate-test\n"));
    requests();
    h.startOperator("op-1", Map.of());
    client.resource(jobWithClientSecret("granted", "kafka-client")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(h.driver("granted")).isNotNull());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.secrets().inNamespace(h.ns).withName("granted-spark-auth").get() != null);
    java.util.Set<String> used = new java.util.TreeSet<>();
    for (String r : requests()) {
      String verb = secretVerb(r);
      // the test's own GET of the Spark authentication Secret above
      if (verb != null && !r.startsWith("GET /api/v1/namespaces/" + h.ns + "/secrets/")) {
        used.add(verb);
      }
    }
    // creating a Secret with an owner reference is what the OwnerReferencesPermissionEnforcement
    // admission plugin allows only with delete on Secrets: that check uses the grant, no call does
    if (!client
        .secrets()
        .inNamespace(h.ns)
        .withName("granted-spark-auth")
        .get()
        .getMetadata()
        .getOwnerReferences()
        .isEmpty()) {
      used.add("delete");
    }
    java.util.Set<String> granted =
        dev.spate.operator.rbac.ApiAccess.OPERATOR.stream()
            .filter(rule -> rule.resource().equals("secrets"))
            .findFirst()
            .orElseThrow()
            .verbs();
    assertThat(used)
        .as("verbs the operator used on Secrets")
        .isEqualTo(new java.util.TreeSet<>(granted));
    // the mock API server has no server-side apply, so the production write mode is not run here:
    // the Spark authentication Secret must not use it (an apply PATCH needs patch on Secrets)
    assertThat(
            dev.spate.operator.resources.SparkAuthSecret.class
                .getAnnotation(
                    io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent
                        .class)
                .useSSA())
        .isEqualTo(
            io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined.FALSE);
  }

  @Test
  void aSecretNoJobReferencesLeavesTheCacheAndALateSecretStillStartsTheJob() throws Exception {
    secret("old-client", Map.of("client.properties", "client.id=old\n"));
    SpateOperator operator = h.startOperator("op-1", Map.of());
    client.resource(jobWithClientSecret("mover", "old-client")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(h.driver("mover")).isNotNull());
    ReferencedSecrets cache = operator.reconciler().referencedSecrets();
    assertThat(cache.referenced()).containsExactly(new ResourceID("old-client", h.ns));

    // the job names a Secret that does not exist yet: the old one leaves the cache at once
    h.edit(
        "mover",
        j -> {
          j.getSpec().getKafka().getClientConfigSecretRef().setName("new-client");
          return j;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(cache.referenced()).containsExactly(new ResourceID("new-client", h.ns));
              assertThat(cache.list()).isEmpty();
              Condition ready = h.condition("mover", ConditionType.READY).orElseThrow();
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage()).contains("new-client");
            });

    // the Secret appears: its informer sees it, the job leaves InvalidSpec without an edit
    secret("new-client", Map.of("client.properties", "client.id=new\n"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(h.condition("mover", ConditionType.READY))
                    .get()
                    .extracting(Condition::getReason)
                    .isNotEqualTo("InvalidSpec"));
    assertThat(cache.list())
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("new-client");

    // the job goes: nothing referenced, nothing cached
    client.resource(h.current("mover")).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(cache.referenced()).isEmpty();
              assertThat(cache.list()).isEmpty();
            });
  }

  @Test
  void jobsSharingASecretShareOneInformerUntilTheLastLetsGo() {
    secret("shared", Map.of("client.properties", "client.id=shared\n"));
    SpateOperator operator = h.startOperator("op-1", Map.of());
    client.resource(jobWithClientSecret("one", "shared")).create();
    client.resource(jobWithClientSecret("two", "shared")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(h.driver("one")).isNotNull();
              assertThat(h.driver("two")).isNotNull();
            });
    ReferencedSecrets cache = operator.reconciler().referencedSecrets();
    assertThat(cache.list()).hasSize(1);

    client.resource(h.current("one")).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> h.current("one") == null);
    assertThat(cache.referenced())
        .as("job two still names it")
        .containsExactly(new ResourceID("shared", h.ns));
    assertThat(cache.list()).hasSize(1);

    client.resource(h.current("two")).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> cache.referenced().isEmpty());
  }

  /**
   * A Secret's value: from {@code data} (base64), or from {@code stringData}, which the mock API
   * server keeps as written (a real one folds it into {@code data}).
   */
  private static String value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return new String(
          java.util.Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    return secret.getStringData() == null ? null : secret.getStringData().get(key);
  }

  @Test
  void aSecretWhoseValuesNoJobNeedsIsHeldWithKeyNamesOnly() {
    secret(
        "s3-and-kafka",
        Map.of(
            "AWS_ACCESS_KEY_ID", "id",
            "AWS_SECRET_ACCESS_KEY", "very-secret",
            "client.properties", "client.id=x\n"));
    SpateOperator operator = h.startOperator("op-1", Map.of());
    StreamingJob writer = h.job("writer", "fake:9092");
    var credentials = new dev.spate.api.v1alpha1.CheckpointCredentials();
    credentials.setName("s3-and-kafka");
    writer.getSpec().getCheckpoint().setCredentialsSecretRef(credentials);
    client.resource(writer).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(h.driver("writer")).isNotNull());
    ReferencedSecrets cache = operator.reconciler().referencedSecrets();
    assertThat(cache.list())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.getData())
                    .as("checkpoint credentials: key names only")
                    .containsOnlyKeys(
                        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "client.properties")
                    .allSatisfy((k, v) -> assertThat(v).isEmpty()));

    // another job reads the same Secret as its Kafka client config: now the values are held
    client.resource(jobWithClientSecret("reader", "s3-and-kafka")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(h.driver("reader")).isNotNull();
              assertThat(cache.list())
                  .singleElement()
                  .extracting(s -> value(s, "client.properties"))
                  .isEqualTo("client.id=x\n");
            });

    // the reader goes: the values leave memory again
    client.resource(h.current("reader")).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(cache.list())
                    .singleElement()
                    .satisfies(
                        s ->
                            assertThat(s.getData()).allSatisfy((k, v) -> assertThat(v).isEmpty())));
  }
}
