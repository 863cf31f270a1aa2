package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps fabric8's CRUD-mode {@link KubernetesCrudDispatcher} so that it behaves like a real API
 * server where Spark's Kubernetes backend and the operator depend on it:
 *
 * <ul>
 *   <li>a created Pod without status gets {@code status.phase: Pending} (as the API server's pod
 *       strategy sets it);
 *   <li>{@code labelSelector} (including set-based {@code in}/{@code notin}) and {@code
 *       fieldSelector} (any dotted path, e.g. {@code status.phase}) are evaluated here, by {@link
 *       ObjectSelector}, on list, watch and delete-collection requests — the mock ignores set-based
 *       requirements and never matches {@code status.*} fields, so a delete-collection would
 *       otherwise delete other jobs' pods;
 *   <li>a watch with a selector sees an object that starts matching as {@code ADDED} and one that
 *       stops matching as {@code DELETED}, as the API server's watch cache does;
 *   <li>deleting an object garbage-collects its dependents (objects whose {@code
 *       metadata.ownerReferences} name its uid) in the background, recursively, like the controller
 *       manager's garbage collector with {@code propagationPolicy: Background};
 *   <li>a pod created in a namespace labelled {@code pod-security.kubernetes.io/enforce} must meet
 *       that Pod Security Standard level ({@link PodSecurityRestricted}), else {@code 403
 *       Forbidden} with the API server's message, as Pod Security admission does.
 * </ul>
 *
 * Also: a {@code PUT} of a status subresource with a stale {@code metadata.resourceVersion} gets
 * {@code 409 Conflict} (the mock checks resource versions on whole-object updates only), and a
 * {@code SelfSubjectRulesReview} answers that everything is allowed (JOSDK asks one before leader
 * election; the sandbox does no authorization), so operators run with leader election on.
 *
 * <p>{@code propagationPolicy: Orphan} and {@code Foreground} are not honoured (always background).
 *
 * <p>Graceful pod deletion: a DELETE of one Pod whose container a kubelet still runs (see {@link
 * #runningPods}) with a grace period &gt; 0 ({@code gracePeriodSeconds} of the query or the
 * DeleteOptions body, else the pod's {@code spec.terminationGracePeriodSeconds}, else 30 s) only
 * sets {@code metadata.deletionTimestamp} and {@code metadata.deletionGracePeriodSeconds} and keeps
 * the object, as the API server does; the kubelet then stops the container and deletes the pod with
 * {@code gracePeriodSeconds=0}, which removes it. Other deletions are immediate.
 */
public final class SandboxDispatcher extends Dispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEFAULT_GRACE_SECONDS = 30;
  private static final String KUBELET_FINALIZER = "sandbox.spate.dev/kubelet";
  private static final String RULES_REVIEWS =
      "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  /** The namespace label whose value is the Pod Security level enforced on its pods. */
  public static final String ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

  private final KubernetesCrudDispatcher crud;
  private final GarbageCollector garbageCollector;
  private final String versionJson;
  private final KubectlFeatures kubectl;
  private final Tombstones tombstones = new Tombstones();
  private volatile java.util.function.Predicate<String> runningPods = uid -> false;
  private volatile java.util.function.Consumer<RecordedRequest> observer = request -> {};

  private final ApiAccessLog accessLog = new ApiAccessLog();

  /**
   * @param crud the CRUD dispatcher holding the objects
   * @param gitVersion the version reported at {@code /version}, e.g. {@code v1.32.0}
   */
  public SandboxDispatcher(KubernetesCrudDispatcher crud, String gitVersion) {
    this.crud = crud;
    this.garbageCollector = new GarbageCollector(crud, this::deleteObject);
    this.kubectl = new KubectlFeatures(crud, gitVersion, java.time.Clock.systemUTC());
    String[] parts = gitVersion.replaceFirst("^v", "").split("\\.");
    this.versionJson =
        JSON.createObjectNode()
            .put("major", parts[0])
            .put("minor", parts[1])
            .put("gitVersion", gitVersion)
            .put("platform", "linux/amd64")
            .toString();
  }

  /**
   * @return the calls made so far, as RBAC grants per caller
   */
  public ApiAccessLog accessLog() {
    return accessLog;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    observer.accept(request);
    String path = request.getPath();
    HttpMethod method = request.method();
    accessLog.record(
        request.getHeader("User-Agent"),
        request.getMethod(),
        path,
        method == HttpMethod.POST ? utf8(request) : null);
    try {
      if (method == HttpMethod.GET && (path.equals("/version") || path.startsWith("/version?"))) {
        return json(200, versionJson);
      }
      if (method == HttpMethod.POST && path.startsWith(RULES_REVIEWS)) {
        return rulesReview(request);
      }
      ApiPath api = ApiPath.parse(path);
      if (method == HttpMethod.PUT && "status".equals(api.subresource())) {
        MockResponse conflict = staleStatusWrite(request, api);
        if (conflict != null) {
          return conflict;
        }
      }
      boolean mayDelete =
          api.name() != null
              && api.subresource() == null
              && (method == HttpMethod.PUT
                  || method == HttpMethod.PATCH
                  || method == HttpMethod.DELETE);
      if (!mayDelete) {
        return route(request, api, method);
      }
      MockResponse existing = crud.dispatch(synthetic(HttpMethod.GET, api.objectPath()));
      MockResponse response = route(request, api, method);
      if (existing.code() == 200 && existing.getBody() != null) {
        JsonNode gone = recordIfDeleted(api, existing.getBody().readUtf8(), response);
        if (gone != null && method != HttpMethod.DELETE) {
          // the last finalizer was released: now the owner is gone, collect its dependents
          String uid = gone.path("metadata").path("uid").asText("");
          if (!uid.isEmpty()) {
            garbageCollector.ownerDeleted(uid);
          }
        }
      }
      return response;
    } catch (IllegalArgumentException e) {
      return status(400, "BadRequest", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("sandbox API failed on {} {}", method, path, e);
      return status(500, "InternalError", String.valueOf(e.getMessage()));
    }
  }

  /**
   * Answers a {@code SelfSubjectRulesReview} (JOSDK asks one before leader election, to check that
   * it may get, create and update Leases) the way an API server answers a subject allowed
   * everything: the sandbox does no authentication or authorization.
   */
  private static MockResponse rulesReview(RecordedRequest request) {
    ObjectNode review = (ObjectNode) readTree(utf8(request));
    ObjectNode status = review.putObject("status");
    status.put("incomplete", false);
    status.putArray("nonResourceRules").addObject().putArray("verbs").add("*");
    ObjectNode rule = status.putArray("resourceRules").addObject();
    rule.putArray("apiGroups").add("*");
    rule.putArray("resources").add("*");
    rule.putArray("verbs").add("*");
    return json(201, review.toString());
  }

  /**
   * A {@code PUT} of a status subresource whose {@code metadata.resourceVersion} is not the stored
   * one gets {@code 409 Conflict}, as on a real API server (optimistic concurrency, Kubernetes "API
   * concepts: resource versions"); the mock checks this for whole-object updates only.
   *
   * @return the 409 response, or null when the write may go on
   */
  private MockResponse staleStatusWrite(RecordedRequest request, ApiPath api) {
    JsonNode sent = readTree(utf8(request)).path("metadata").path("resourceVersion");
    if (!sent.isTextual() || sent.asText().isEmpty()) {
      return null; // an unconditional update
    }
    String objectPath =
        ApiPath.objectPath(api.prefix(), api.namespace(), api.resource(), api.name());
    MockResponse current = crud.dispatch(synthetic(HttpMethod.GET, objectPath));
    if (current.code() != 200 || current.getBody() == null) {
      return null; // the mock answers 404 itself
    }
    String stored =
        readTree(current.getBody().readUtf8()).path("metadata").path("resourceVersion").asText("");
    if (stored.equals(sent.asText())) {
      return null;
    }
    String group = api.prefix().startsWith("/apis/") ? "." + api.prefix().split("/")[2] : "";
    return status(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + api.resource()
            + group
            + " \""
            + api.name()
            + "\": the object has been modified; please apply your changes to the latest version"
            + " and try again");
  }

  /**
   * Records a tombstone when the object at {@code api} is gone after a write (a DELETE, or a PUT or
   * PATCH that released the last finalizer of an object marked for deletion).
   *
   * @return the object's last state when it is gone, else null
   */
  private JsonNode recordIfDeleted(ApiPath api, String before, MockResponse response) {
    if (crud.dispatch(synthetic(HttpMethod.GET, api.objectPath())).code() != 404) {
      return null;
    }
    JsonNode last = readTree(before);
    if (response.getBody() != null && response.code() < 300) {
      // getBytes leaves the body in place for the client (readUtf8 would consume it)
      String body = new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
      if (body.startsWith("{")) {
        JsonNode r = readTree(body);
        if (r.path("metadata").path("name").asText("").equals(api.name())) {
          last = r;
        }
      }
    }
    tombstones.add(api, last, crud.requestResourceVersion());
    return last;
  }

  /**
   * The API server's {@code 409 AlreadyExists} Status ({@code streamingjobs.spate.dev "x" already
   * exists}) where the mock answers a create of an existing object with its own text.
   */
  private static MockResponse alreadyExists(String body, ApiPath api, MockResponse response) {
    if (response.code() != 409 || api.name() != null) {
      return response;
    }
    String name = "";
    try {
      name = readTree(body).path("metadata").path("name").asText("");
    } catch (IllegalArgumentException e) {
      // keep the empty name
    }
    String group = api.prefix().startsWith("/apis/") ? "." + api.prefix().split("/")[2] : "";
    return status(
        409, "AlreadyExists", api.resource() + group + " \"" + name + "\" already exists");
  }

  /**
   * Hands a new object whose owners are named by {@code ownerReferences} to the garbage collector,
   * which deletes it when none of its owners exists (an owner deleted before its dependent was
   * created, e.g. an executor pod Spark requests while its driver pod is being deleted; the
   * Kubernetes garbage collector deletes such dependents too).
   */
  private void collectIfOrphaned(ApiPath api, MockResponse created) {
    if (created.code() >= 300 || created.getBody() == null) {
      return;
    }
    String body = new String(created.getBody().getBytes(), StandardCharsets.UTF_8);
    if (!body.startsWith("{") || !body.contains("ownerReferences")) {
      return;
    }
    JsonNode object = readTree(body);
    List<String> owners = new ArrayList<>();
    object
        .path("metadata")
        .path("ownerReferences")
        .forEach(r -> owners.add(r.path("uid").asText()));
    if (!owners.isEmpty()) {
      String ns = object.path("metadata").path("namespace").asText(api.namespace());
      garbageCollector.dependentCreated(
          ApiPath.objectPath(
              api.prefix(), ns, api.resource(), object.path("metadata").path("name").asText()),
          owners);
    }
  }

  /**
   * @return deletions a watch of {@code watch} from {@code resourceVersion} should hear of
   */
  List<JsonNode> deletedSince(ApiPath watch, long resourceVersion) {
    return tombstones.since(watch, resourceVersion);
  }

  private MockResponse route(RecordedRequest request, ApiPath api, HttpMethod method) {
    MockResponse served = kubectl.handle(request, api);
    if (served != null) {
      return served;
    }
    if (api.resource() == null) {
      return crud.dispatch(request);
    }
    switch (method) {
      case POST:
        MockResponse created = alreadyExists(utf8(request), api, create(request, api));
        collectIfOrphaned(api, created);
        return created;
      case GET:
        if (api.isWatch()) {
          return list(request, api);
        }
        return kubectl.present(
            request, api, api.isCollection() ? list(request, api) : crud.dispatch(request));
      case DELETE:
        return api.isCollection() ? deleteCollection(api) : delete(request, api);
      default:
        return crud.dispatch(request);
    }
  }

  /** Stops the background garbage collector. */
  @Override
  public void close() {
    garbageCollector.close();
  }

  /**
   * Enables graceful pod deletion for the pods a kubelet runs.
   *
   * @param running tells, by pod uid, whether a kubelet runs the pod's container now
   */
  public void runningPods(java.util.function.Predicate<String> running) {
    this.runningPods = java.util.Objects.requireNonNull(running);
  }

  /**
   * Hands every request to an observer before it is served (tests record the requests of one
   * client, e.g. to check them against RBAC rules, which the sandbox does not enforce).
   *
   * @param observer called on the server's thread with each request; must not block or throw
   */
  public void observe(java.util.function.Consumer<RecordedRequest> observer) {
    this.observer = java.util.Objects.requireNonNull(observer);
  }

  /**
   * Serves {@code GET .../pods/<name>/log} ({@code kubectl logs}) from a log source.
   *
   * @param source where container logs are
   */
  public void podLogs(PodLogSource source) {
    kubectl.podLogs(java.util.Objects.requireNonNull(source));
  }

  KubectlFeatures kubectl() {
    return kubectl;
  }

  /**
   * @return the garbage collector (tests wait on it)
   */
  public GarbageCollector garbageCollector() {
    return garbageCollector;
  }

  private MockResponse create(RecordedRequest request, ApiPath api) {
    if (!api.prefix().equals("/api/v1") || !api.resource().equals("pods") || api.name() != null) {
      return crud.dispatch(request);
    }
    ObjectNode pod = (ObjectNode) readTree(request.getUtf8Body());
    MockResponse forbidden = podSecurity(api, pod);
    if (forbidden != null) {
      return forbidden;
    }
    JsonNode status = pod.get("status");
    if (status == null || status.isNull() || !status.has("phase")) {
      ObjectNode newStatus = status instanceof ObjectNode o ? o : pod.putObject("status");
      newStatus.put("phase", "Pending");
      if (!newStatus.has("qosClass")) {
        newStatus.put("qosClass", "Burstable");
      }
      pod.set("status", newStatus);
    }
    return crud.dispatch(copy(request, request.getPath(), pod.toString()));
  }

  /**
   * Pod Security admission: a pod created in a namespace labelled {@value #ENFORCE_LABEL} is
   * checked against that level ({@link PodSecurityRestricted}); a violating pod gets the API
   * server's {@code 403 Forbidden} with its message.
   *
   * @return the refusal, or null when the pod is admitted
   */
  private MockResponse podSecurity(ApiPath api, JsonNode pod) {
    String ns = pod.path("metadata").path("namespace").asText(api.namespace());
    if (ns == null || ns.isEmpty()) {
      return null;
    }
    MockResponse namespace = crud.dispatch(synthetic(HttpMethod.GET, "/api/v1/namespaces/" + ns));
    if (namespace.code() != 200 || namespace.getBody() == null) {
      return null;
    }
    JsonNode labels = readTree(namespace.getBody().readUtf8()).path("metadata").path("labels");
    PodSecurityRestricted.Level level =
        labels.has(ENFORCE_LABEL)
            ? PodSecurityRestricted.Level.of(labels.path(ENFORCE_LABEL).asText())
            : PodSecurityRestricted.Level.PRIVILEGED;
    List<PodSecurityRestricted.Violation> violations = PodSecurityRestricted.check(pod, level);
    if (violations.isEmpty()) {
      return null;
    }
    String name = pod.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      name = pod.path("metadata").path("generateName").asText("");
    }
    String message =
        PodSecurityRestricted.forbiddenMessage(
            name, level, labels.path(ENFORCE_LABEL + "-version").asText("latest"), violations);
    LOG.info("refused pod {}/{}: {}", ns, name, message);
    ObjectNode s =
        JSON.createObjectNode()
            .put("apiVersion", "v1")
            .put("kind", "Status")
            .put("status", "Failure")
            .put("reason", "Forbidden")
            .put("message", message)
            .put("code", 403);
    s.putObject("metadata");
    s.putObject("details").put("name", name).put("kind", "pods");
    return json(403, s.toString());
  }

  private MockResponse list(RecordedRequest request, ApiPath api) {
    ObjectSelector selector = api.selector();
    if (selector.isEverything()) {
      return crud.dispatch(request);
    }
    MockResponse response = crud.dispatch(copy(request, api.withoutSelectors(), null));
    if (api.isWatch()) {
      if (response.getWebSocketListener() != null) {
        response.withWebSocketUpgrade(
            new SelectingWatchListener(response.getWebSocketListener(), selector));
      }
      return response;
    }
    if (response.code() != 200) {
      return response;
    }
    ObjectNode body = (ObjectNode) readTree(response.getBody().readUtf8());
    ArrayNode kept = JSON.createArrayNode();
    for (JsonNode item : body.path("items")) {
      if (selector.test(item)) {
        kept.add(item);
      }
    }
    body.set("items", kept);
    return copyResponse(response, body.toString());
  }

  private MockResponse deleteCollection(ApiPath api) {
    ObjectSelector selector = api.selector();
    MockResponse listed = crud.dispatch(synthetic(HttpMethod.GET, api.objectPath()));
    if (listed.code() != 200) {
      return listed;
    }
    ObjectNode body = (ObjectNode) readTree(listed.getBody().readUtf8());
    ArrayNode deleted = JSON.createArrayNode();
    for (JsonNode item : body.path("items")) {
      if (!selector.test(item)) {
        continue;
      }
      String ns = item.path("metadata").path("namespace").asText(null);
      String name = item.path("metadata").path("name").asText();
      String itemPath =
          ApiPath.objectPath(api.prefix(), ns != null ? ns : api.namespace(), api.resource(), name);
      if (deleteObject(itemPath) == 200) {
        deleted.add(item);
      }
    }
    body.set("items", deleted);
    return json(200, body.toString());
  }

  private MockResponse delete(RecordedRequest request, ApiPath api) {
    if (api.subresource() != null) {
      return crud.dispatch(request);
    }
    String uid = uidOf(api.objectPath());
    if (api.prefix().equals("/api/v1") && api.resource().equals("pods")) {
      MockResponse graceful = deleteGracefully(request, api);
      if (graceful != null) {
        return graceful;
      }
    }
    MockResponse response = crud.dispatch(synthetic(HttpMethod.DELETE, api.objectPath()));
    if (uid != null && (response.code() == 200 || uidOf(api.objectPath()) == null)) {
      garbageCollector.ownerDeleted(uid);
    }
    return response;
  }

  /**
   * @return the response when the pod is (or already was) marked for graceful deletion, null when
   *     it is to be removed at once
   */
  private MockResponse deleteGracefully(RecordedRequest request, ApiPath api) {
    MockResponse existing = crud.dispatch(synthetic(HttpMethod.GET, api.objectPath()));
    if (existing.code() != 200 || existing.getBody() == null) {
      return null;
    }
    ObjectNode pod = (ObjectNode) readTree(existing.getBody().readUtf8());
    ObjectNode metadata = (ObjectNode) pod.path("metadata");
    Long requested = requestedGrace(request);
    if ((requested != null && requested <= 0) || !runningPods.test(metadata.path("uid").asText())) {
      releaseFinalizer(api, pod, metadata);
      return null;
    }
    if (metadata.hasNonNull("deletionTimestamp")) {
      return json(200, pod.toString()); // already terminating
    }
    long grace =
        requested != null
            ? requested
            : pod.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_GRACE_SECONDS);
    if (grace <= 0) {
      return null;
    }
    metadata.put(
        "deletionTimestamp",
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    metadata.put("deletionGracePeriodSeconds", grace);
    // the mock removes an object updated with a deletionTimestamp and no finalizers at once
    ArrayNode finalizers =
        metadata.has("finalizers")
            ? (ArrayNode) metadata.get("finalizers")
            : metadata.putArray("finalizers");
    finalizers.add(KUBELET_FINALIZER);
    metadata.remove("resourceVersion");
    MockResponse updated =
        crud.dispatch(
            new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.PUT,
                api.objectPath(),
                Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer(pod.toString().getBytes(StandardCharsets.UTF_8))));
    if (updated.code() != 200) {
      return updated;
    }
    MockResponse marked = crud.dispatch(synthetic(HttpMethod.GET, api.objectPath()));
    return marked.getBody() == null ? marked : json(marked.code(), marked.getBody().readUtf8());
  }

  /** Drops this dispatcher's finalizer from a pod marked for deletion, so that it can go. */
  private void releaseFinalizer(ApiPath api, ObjectNode pod, ObjectNode metadata) {
    JsonNode finalizers = metadata.path("finalizers");
    if (!finalizers.isArray()) {
      return;
    }
    ArrayNode kept = JSON.createArrayNode();
    boolean found = false;
    for (JsonNode f : finalizers) {
      if (KUBELET_FINALIZER.equals(f.asText())) {
        found = true;
      } else {
        kept.add(f);
      }
    }
    if (!found) {
      return;
    }
    metadata.set("finalizers", kept);
    metadata.remove("resourceVersion");
    crud.dispatch(
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.PUT,
            api.objectPath(),
            Headers.builder().add("Content-Type", "application/json").build(),
            new Buffer(pod.toString().getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * @return gracePeriodSeconds of the query or the DeleteOptions body, null when absent
   */
  private static Long requestedGrace(RecordedRequest request) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("[?&]gracePeriodSeconds=(-?\\d+)")
            .matcher(request.getPath());
    if (m.find()) {
      return Long.parseLong(m.group(1));
    }
    String body = request.getBody() == null ? "" : request.getUtf8Body();
    if (body != null && !body.isBlank()) {
      JsonNode g = readTree(body).path("gracePeriodSeconds");
      if (g.isNumber()) {
        return g.asLong();
      }
    }
    return null;
  }

  /**
   * Deletes one object and schedules the collection of its dependents.
   *
   * @param objectPath path of the object (no query)
   * @return the HTTP status code of the deletion (200, or 404 when it was already gone)
   */
  int deleteObject(String objectPath) {
    MockResponse existing = crud.dispatch(synthetic(HttpMethod.GET, objectPath));
    if (existing.code() != 200 || existing.getBody() == null) {
      return 404;
    }
    String before = existing.getBody().readUtf8();
    JsonNode uid = readTree(before).path("metadata").path("uid");
    MockResponse response = crud.dispatch(synthetic(HttpMethod.DELETE, objectPath));
    recordIfDeleted(ApiPath.parse(objectPath), before, response);
    if (response.code() == 200 && !uid.isMissingNode() && !uid.isNull()) {
      garbageCollector.ownerDeleted(uid.asText());
    }
    return response.code();
  }

  private String uidOf(String objectPath) {
    MockResponse existing = crud.dispatch(synthetic(HttpMethod.GET, objectPath));
    if (existing.code() != 200 || existing.getBody() == null) {
      return null;
    }
    JsonNode uid = readTree(existing.getBody().readUtf8()).path("metadata").path("uid");
    return uid.isMissingNode() || uid.isNull() ? null : uid.asText();
  }

  static String pluralOf(String kind) {
    return io.fabric8.kubernetes.api.Pluralize.toPlural(kind.toLowerCase(Locale.ROOT));
  }

  private static RecordedRequest copy(RecordedRequest request, String path, String body) {
    Buffer buffer =
        new Buffer(
            body != null ? body.getBytes(StandardCharsets.UTF_8) : request.getBody().getBytes());
    return new RecordedRequest(
        request.getHttpVersion(), request.method(), path, request.getHeaders(), buffer);
  }

  private static RecordedRequest synthetic(HttpMethod method, String path) {
    return new RecordedRequest("HTTP/1.1", method, path, Headers.builder().build(), new Buffer());
  }

  private static MockResponse copyResponse(MockResponse original, String body) {
    return new MockResponse()
        .setResponseCode(original.code())
        .setHeaders(original.getHeaders())
        .setBody(body);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  private static MockResponse status(int code, String reason, String message) {
    ObjectNode s =
        JSON.createObjectNode()
            .put("apiVersion", "v1")
            .put("kind", "Status")
            .put("status", "Failure")
            .put("reason", reason)
            .put("message", message)
            .put("code", code);
    return json(code, s.toString());
  }

  /**
   * @return the request body as text, leaving it in place ({@code getUtf8Body} consumes it)
   */
  static String utf8(RecordedRequest request) {
    return request.getBody() == null
        ? ""
        : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
  }

  static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("request body is not JSON: " + e.getMessage(), e);
    }
  }

  static List<JsonNode> snapshot(KubernetesCrudDispatcher crud) {
    List<String> values;
    synchronized (crud.getMap()) {
      values = new ArrayList<>(crud.getMap().values());
    }
    List<JsonNode> out = new ArrayList<>(values.size());
    for (String v : values) {
      out.add(readTree(v));
    }
    return out;
  }
}
