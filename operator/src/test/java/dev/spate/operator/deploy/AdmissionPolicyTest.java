package dev.spate.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/admission/streamingjob-references.yaml, evaluated the way the API server evaluates a
 * ValidatingAdmissionPolicy: its variables in order ({@code variables.<name>}), then each
 * validation with {@code object}, {@code oldObject}, {@code request} and the {@code authorizer} of
 * the requesting user, whose {@code check(verb)} is answered by a fake that knows the user's RBAC
 * grants. The Kubernetes CEL {@code authorizer} library ({@code group(g).resource(r)
 * .namespace(ns).name(n).check(verb).allowed()}) is declared here with the Kubernetes types'
 * semantics; what stays unproven is the real authorizer (RBAC) answering, which the API server
 * does.
 */
class AdmissionPolicyTest {

  private static final Path POLICY = Path.of("../deploy/admission/streamingjob-references.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String NS = "analytics";

  private static JsonNode policy;
  private static JsonNode binding;
  private static CelCompiler compiler;
  private static CelRuntime runtime;

  /** One RBAC grant of the fake authorizer: verb on a named object of a resource. */
  record Grant(String verb, String group, String resource, String namespace, String name) {}

  /** The {@code authorizer} variable: the requesting user's grants. */
  record Authorizer(Set<Grant> grants) {}

  /** {@code authorizer.group(g)}. */
  record GroupCheck(Authorizer authorizer, String group) {}

  /** {@code ....resource(r)[.namespace(ns)][.name(n)]}. */
  record ResourceCheck(
      Authorizer authorizer, String group, String resource, String namespace, String name) {}

  /** {@code ....check(verb)}. */
  record Decision(boolean allowed) {}

  /**
   * Authorizer checks of the expression being evaluated: Kubernetes charges 350000 per check
   * against a per-expression limit of 1000000 (two checks per expression at most).
   */
  private static final java.util.concurrent.atomic.AtomicInteger CHECKS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Most authorizer checks one policy evaluation may make (runtime budget 10^7 / 350000). */
  private static final int CHECKS_PER_EVALUATION = 28;

  @BeforeAll
  static void compileTheKubernetesEnvironment() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    for (String doc : Files.readString(POLICY).split("(?m)^---\\s*$")) {
      JsonNode node = YAML.readTree(doc);
      if (node != null && node.has("kind")) {
        docs.add(node);
      }
    }
    policy = DeployTest.find(docs, "ValidatingAdmissionPolicy", "spate-streamingjob-references");
    binding =
        DeployTest.find(docs, "ValidatingAdmissionPolicyBinding", "spate-streamingjob-references");

    CelType authorizer = OpaqueType.create("kubernetes.authorization.Authorizer");
    CelType group = OpaqueType.create("kubernetes.authorization.GroupCheck");
    CelType resource = OpaqueType.create("kubernetes.authorization.ResourceCheck");
    CelType decision = OpaqueType.create("kubernetes.authorization.Decision");
    compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("request", SimpleType.DYN)
            .addVar("variables", SimpleType.DYN)
            .addVar("authorizer", authorizer)
            .addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration(
                    "group",
                    CelOverloadDecl.newMemberOverload(
                        "authorizer_group", group, authorizer, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                    "resource",
                    CelOverloadDecl.newMemberOverload(
                        "groupcheck_resource", resource, group, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                    "namespace",
                    CelOverloadDecl.newMemberOverload(
                        "resourcecheck_namespace", resource, resource, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                    "name",
                    CelOverloadDecl.newMemberOverload(
                        "resourcecheck_name", resource, resource, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                    "check",
                    CelOverloadDecl.newMemberOverload(
                        "resourcecheck_check", decision, resource, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                    "allowed",
                    CelOverloadDecl.newMemberOverload(
                        "decision_allowed", SimpleType.BOOL, decision)))
            .build();
    runtime =
        CelRuntimeFactory.standardCelRuntimeBuilder()
            .addFunctionBindings(
                CelFunctionBinding.from(
                    "authorizer_group",
                    Authorizer.class,
                    String.class,
                    (a, g) -> new GroupCheck(a, g)),
                CelFunctionBinding.from(
                    "groupcheck_resource",
                    GroupCheck.class,
                    String.class,
                    (g, r) -> new ResourceCheck(g.authorizer(), g.group(), r, "", "")),
                CelFunctionBinding.from(
                    "resourcecheck_namespace",
                    ResourceCheck.class,
                    String.class,
                    (r, ns) ->
                        new ResourceCheck(r.authorizer(), r.group(), r.resource(), ns, r.name())),
                CelFunctionBinding.from(
                    "resourcecheck_name",
                    ResourceCheck.class,
                    String.class,
                    (r, n) ->
                        new ResourceCheck(
                            r.authorizer(), r.group(), r.resource(), r.namespace(), n)),
                CelFunctionBinding.from(
                    "resourcecheck_check",
                    ResourceCheck.class,
                    String.class,
                    (r, verb) ->
                        new Decision(
                            CHECKS.incrementAndGet() > 0
                                && r.authorizer()
                                    .grants()
                                    .contains(
                                        new Grant(
                                            verb,
                                            r.group(),
                                            r.resource(),
                                            r.namespace(),
                                            r.name())))),
                CelFunctionBinding.from("decision_allowed", Decision.class, Decision::allowed))
            .build();
  }

  /** Runs the policy as the API server would; the message of the first failed validation. */
  private static Optional<String> admit(
      String operation, Map<String, Object> object, Map<String, Object> oldObject, Set<Grant> user)
      throws Exception {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("operation", operation);
    request.put("namespace", NS);
    request.put("userInfo", Map.of("username", "alice"));
    Map<String, Object> vars = new HashMap<>();
    Map<String, Object> activation = new HashMap<>();
    activation.put("object", object);
    activation.put("oldObject", oldObject == null ? NullValue.NULL_VALUE : oldObject);
    activation.put("request", request);
    activation.put("variables", vars);
    activation.put("authorizer", new Authorizer(user));
    int checks = 0;
    for (JsonNode v : policy.path("spec").path("variables")) {
      vars.put(v.path("name").asText(), eval(v.path("expression").asText(), activation));
      checks += CHECKS.get();
    }
    for (JsonNode v : policy.path("spec").path("validations")) {
      boolean passed = (Boolean) eval(v.path("expression").asText(), activation);
      checks += CHECKS.get();
      assertThat(checks)
          .as("authorizer checks of one evaluation")
          .isLessThanOrEqualTo(CHECKS_PER_EVALUATION);
      if (!passed) {
        assertThat(v.path("reason").asText()).isEqualTo("Forbidden");
        return Optional.of((String) eval(v.path("messageExpression").asText(), activation));
      }
    }
    return Optional.empty();
  }

  private static Object eval(String expression, Map<String, Object> activation) throws Exception {
    CHECKS.set(0);
    Object result = runtime.createProgram(compiler.compile(expression).getAst()).eval(activation);
    assertThat(CHECKS.get())
        .as("authorizer checks in one expression (Kubernetes' cost limit): %s", expression)
        .isLessThanOrEqualTo(2);
    return result;
  }

  private static Map<String, Object> job(String secret, String serviceAccount) {
    Map<String, Object> kafka = new LinkedHashMap<>();
    kafka.put("bootstrapServers", "kafka:9092");
    kafka.put("inputTopics", List.of("clicks"));
    kafka.put("outputTopic", "out");
    if (secret != null) {
      kafka.put("clientConfigSecretRef", Map.of("name", secret));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kafka", kafka);
    spec.put("checkpoint", Map.of("location", "s3a://b/p"));
    if (serviceAccount != null) {
      spec.put("driver", Map.of("serviceAccountName", serviceAccount, "cores", 1L));
    }
    return Map.of(
        "apiVersion",
        "spate.dev/v1alpha1",
        "kind",
        "StreamingJob",
        "metadata",
        Map.of("name", "j", "namespace", NS),
        "spec",
        spec);
  }

  private static Grant getSecret(String name) {
    return new Grant("get", "", "secrets", NS, name);
  }

  private static Grant impersonate(String serviceAccount) {
    return new Grant("impersonate", "", "serviceaccounts", NS, serviceAccount);
  }

  @Test
  void matchesEveryCreateAndUpdateOfAStreamingJobAndDenies() {
    JsonNode rule = policy.path("spec").path("matchConstraints").path("resourceRules").get(0);
    assertThat(rule.path("apiGroups").get(0).asText()).isEqualTo("spate.dev");
    assertThat(rule.path("resources").toString()).isEqualTo("[\"streamingjobs\"]");
    assertThat(rule.path("operations").toString()).isEqualTo("[\"CREATE\",\"UPDATE\"]");
    assertThat(policy.path("spec").path("failurePolicy").asText()).isEqualTo("Fail");
    assertThat(policy.path("apiVersion").asText()).isEqualTo("admissionregistration.k8s.io/v1");
    assertThat(binding.path("spec").path("policyName").asText())
        .isEqualTo(policy.path("metadata").path("name").asText());
    assertThat(binding.path("spec").path("validationActions").toString()).isEqualTo("[\"Deny\"]");
  }

  @Test
  void aJobWithoutReferencesNeedsNoRights() throws Exception {
    assertThat(admit("CREATE", job(null, null), null, Set.of())).isEmpty();
  }

  @Test
  void theAuthorMustBeAllowedToGetTheReferencedSecret() throws Exception {
    assertThat(admit("CREATE", job("kafka-client", null), null, Set.of(getSecret("kafka-client"))))
        .isEmpty();
    assertThat(admit("CREATE", job("kafka-client", null), null, Set.of()))
        .contains(
            "spec.kafka.clientConfigSecretRef.name: alice may not get Secret kafka-client in"
                + " namespace analytics, so a StreamingJob of theirs may not use it");
    // another Secret's name, another verb, another namespace: not enough
    for (Grant other :
        List.of(
            getSecret("other"),
            new Grant("list", "", "secrets", NS, "kafka-client"),
            new Grant("get", "", "secrets", "payments", "kafka-client"),
            new Grant("get", "", "configmaps", NS, "kafka-client"))) {
      assertThat(admit("CREATE", job("kafka-client", null), null, Set.of(other)))
          .as("%s", other)
          .isPresent();
    }
  }

  @Test
  void theCheckpointCredentialsSecretIsCheckedTheSameWay() throws Exception {
    Map<String, Object> job = new java.util.HashMap<>(job(null, null));
    Map<String, Object> spec = new java.util.HashMap<>(asMap(job.get("spec")));
    spec.put(
        "checkpoint",
        Map.of("location", "s3a://b/p", "credentialsSecretRef", Map.of("name", "s3-writer")));
    job.put("spec", spec);
    assertThat(admit("CREATE", job, null, Set.of(getSecret("s3-writer")))).isEmpty();
    assertThat(admit("CREATE", job, null, Set.of(getSecret("kafka-client"))))
        .contains(
            "spec.checkpoint.credentialsSecretRef.name: alice may not get Secret s3-writer in"
                + " namespace analytics, so a StreamingJob of theirs may not use it");
    assertThat(admit("UPDATE", job, job, Set.of())).as("unchanged reference").isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }

  @Test
  void theAuthorMustBeAllowedToImpersonateANamedServiceAccount() throws Exception {
    assertThat(admit("CREATE", job(null, "etl"), null, Set.of(impersonate("etl")))).isEmpty();
    assertThat(admit("CREATE", job(null, "etl"), null, Set.of()))
        .contains(
            "spec.driver.serviceAccountName: alice may not impersonate ServiceAccount etl in"
                + " namespace analytics, so a StreamingJob of theirs may not run as it");
    assertThat(
            admit(
                "CREATE",
                job(null, "etl"),
                null,
                Set.of(new Grant("use", "", "serviceaccounts", NS, "etl"), impersonate("other"))))
        .isPresent();
    // both references: both checked
    assertThat(admit("CREATE", job("kafka-client", "etl"), null, Set.of(impersonate("etl"))))
        .get()
        .asString()
        .startsWith("spec.kafka.clientConfigSecretRef.name");
    assertThat(
            admit(
                "CREATE",
                job("kafka-client", "etl"),
                null,
                Set.of(impersonate("etl"), getSecret("kafka-client"))))
        .isEmpty();
  }

  @Test
  void anUpdateIsCheckedOnlyForAReferenceItChanges() throws Exception {
    Map<String, Object> before = job("kafka-client", "etl");
    // the operator adding its finalizer, or a teammate changing the trigger: no rights needed
    assertThat(admit("UPDATE", job("kafka-client", "etl"), before, Set.of())).isEmpty();
    assertThat(admit("UPDATE", job("other-secret", "etl"), before, Set.of()))
        .get()
        .asString()
        .contains("may not get Secret other-secret");
    assertThat(admit("UPDATE", job("kafka-client", "admin-sa"), before, Set.of()))
        .get()
        .asString()
        .contains("may not impersonate ServiceAccount admin-sa");
    assertThat(
            admit(
                "UPDATE",
                job("kafka-client", "admin-sa"),
                job("kafka-client", null),
                Set.of(impersonate("admin-sa"))))
        .isEmpty();
  }

  /** The job with spec.[section].[field] set (the section created when absent). */
  private static Map<String, Object> with(
      Map<String, Object> job, String section, String field, Object value) {
    Map<String, Object> copy = new HashMap<>(job);
    Map<String, Object> spec = new HashMap<>(asMap(copy.get("spec")));
    Map<String, Object> part =
        new HashMap<>(spec.containsKey(section) ? asMap(spec.get(section)) : Map.of());
    part.put(field, value);
    spec.put(section, part);
    copy.put("spec", spec);
    return copy;
  }

  /** An env entry taking its value from a Secret key. */
  private static Map<String, Object> envFromSecret(String env, String secret, String key) {
    return Map.of(
        "name", env, "valueFrom", Map.of("secretKeyRef", Map.of("name", secret, "key", key)));
  }

  private static List<Map<String, Object>> pullSecrets(String... names) {
    return java.util.Arrays.stream(names).map(n -> Map.<String, Object>of("name", n)).toList();
  }

  @Test
  void aDriverEnvValueFromASecretNeedsGetOnThatSecret() throws Exception {
    Map<String, Object> job =
        with(
            job(null, null),
            "driver",
            "env",
            List.of(
                Map.of("name", "PLAIN", "value", "x"),
                Map.of(
                    "name",
                    "POD",
                    "valueFrom",
                    Map.of("fieldRef", Map.of("fieldPath", "metadata.name"))),
                envFromSecret("DB_USER", "db", "user"),
                envFromSecret("DB_PASSWORD", "db", "password")));
    assertThat(admit("CREATE", job, null, Set.of(getSecret("db"))))
        .as("two keys of one Secret: one grant")
        .isEmpty();
    assertThat(admit("CREATE", job, null, Set.of(getSecret("other"))))
        .contains(
            "spec.driver.env[].valueFrom.secretKeyRef.name: alice may not get Secret db in"
                + " namespace analytics, so a StreamingJob of theirs may not use it");
    assertThat(admit("UPDATE", job, job, Set.of())).as("unchanged reference").isEmpty();
    Map<String, Object> more =
        with(
            job,
            "driver",
            "env",
            List.of(envFromSecret("DB_USER", "db", "user"), envFromSecret("TOKEN", "api", "t")));
    assertThat(admit("UPDATE", more, job, Set.of()))
        .get()
        .asString()
        .startsWith("spec.driver.env[].valueFrom.secretKeyRef.name: alice may not get Secret api");
    assertThat(admit("UPDATE", more, job, Set.of(getSecret("api")))).isEmpty();
  }

  @Test
  void imagePullSecretsOfDriverAndExecutorNeedGetOnEachSecret() throws Exception {
    Map<String, Object> job =
        with(
            with(job(null, null), "driver", "imagePullSecrets", pullSecrets("registry-a")),
            "executor",
            "imagePullSecrets",
            pullSecrets("registry-a", "registry-b"));
    assertThat(admit("CREATE", job, null, Set.of(getSecret("registry-a"), getSecret("registry-b"))))
        .isEmpty();
    assertThat(admit("CREATE", job, null, Set.of(getSecret("registry-b"))))
        .contains(
            "spec.driver.imagePullSecrets[].name: alice may not get Secret registry-a in"
                + " namespace analytics, so a StreamingJob of theirs may not use it");
    assertThat(admit("CREATE", job, null, Set.of(getSecret("registry-a"))))
        .contains(
            "spec.executor.imagePullSecrets[].name: alice may not get Secret registry-b in"
                + " namespace analytics, so a StreamingJob of theirs may not use it");
    assertThat(admit("UPDATE", job, job, Set.of())).as("unchanged references").isEmpty();
  }

  @Test
  void aSecretTheJobAlreadyReferencedIsNotCheckedAgainWhereverItMoves() throws Exception {
    Map<String, Object> before =
        with(job(null, null), "driver", "env", List.of(envFromSecret("K", "kafka-client", "k")));
    Map<String, Object> after = job("kafka-client", null);
    assertThat(admit("UPDATE", after, before, Set.of())).isEmpty();
    assertThat(admit("CREATE", after, null, Set.of())).isPresent();
  }

  @Test
  void eachNewSecretIsCheckedByItsOwnValidationAtMostEightPerChange() throws Exception {
    List<String> eight = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");
    Set<Grant> all = new java.util.HashSet<>();
    eight.forEach(n -> all.add(getSecret(n)));
    all.add(getSecret("s8"));
    all.add(getSecret("kafka-client"));
    Map<String, Object> job =
        with(
            job("kafka-client", null),
            "driver",
            "env",
            eight.stream().map(n -> envFromSecret(n.toUpperCase(), n, "k")).toList());
    // nine distinct new Secrets: the policy checks eight and refuses the change
    assertThat(admit("CREATE", job, null, all))
        .get()
        .asString()
        .startsWith("spec: this change references more than 8 Secrets")
        .contains("(s7 and others)");
    // eight new ones (one was there before): all checked, each by its own validation
    Map<String, Object> before = job("kafka-client", null);
    assertThat(admit("UPDATE", job, before, all)).isEmpty();
    for (String denied : eight) {
      Set<Grant> allBut = new java.util.HashSet<>(all);
      allBut.remove(getSecret(denied));
      assertThat(admit("UPDATE", job, before, allBut))
          .as(denied)
          .get()
          .asString()
          .contains("may not get Secret " + denied + " ");
    }
    // one more entry naming a Secret already named is no new Secret
    Map<String, Object> repeated =
        with(
            job,
            "executor",
            "imagePullSecrets",
            pullSecrets("s0", "s7", "kafka-client", "s3", "s0"));
    assertThat(admit("UPDATE", repeated, before, all)).isEmpty();
  }
}
