package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What kubectl needs of an API server beyond CRUD, on top of fabric8's CRUD mock: discovery ({@link
 * ApiResources}), OpenAPI v3 ({@link OpenApiV3}), server-side Table output ({@link
 * TableConverter}), admission of custom resources ({@link Admission}, also for patches: a patch is
 * applied here, the result validated and stored with a PUT that carries the read {@code
 * resourceVersion}, retried on a conflict like the API server's guaranteed update), {@code
 * strategic-merge-patch+json} on built-in types applied as a JSON merge patch (lists are replaced,
 * not merged by key), and {@code pods/<name>/log} from a {@link PodLogSource}.
 */
final class KubectlFeatures {

  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final int PATCH_ATTEMPTS = 10;

  private final KubernetesCrudDispatcher crud;
  private final String kubernetesVersion;
  private final Clock clock;
  private final Admission admission = new Admission();
  private volatile PodLogSource logs = PodLogSource.NONE;
  private volatile Snapshot snapshot;

  private record Snapshot(String crdList, ApiResources resources, OpenApiV3 openApi) {}

  KubectlFeatures(KubernetesCrudDispatcher crud, String kubernetesVersion, Clock clock) {
    this.crud = crud;
    this.kubernetesVersion = kubernetesVersion;
    this.clock = clock;
  }

  void podLogs(PodLogSource source) {
    this.logs = source;
  }

  /** The served types, rebuilt when the stored CRDs change. */
  ApiResources resources() {
    return snapshot().resources();
  }

  private Snapshot snapshot() {
    MockResponse listed = crud.dispatch(get(CRDS));
    String body = listed.getBody() == null ? "{}" : listed.getBody().readUtf8();
    Snapshot s = snapshot;
    if (s != null && s.crdList().equals(body)) {
      return s;
    }
    List<JsonNode> crds = new ArrayList<>();
    SandboxDispatcher.readTree(body).path("items").forEach(crds::add);
    ApiResources resources = ApiResources.of(crds);
    s = new Snapshot(body, resources, new OpenApiV3(resources, kubernetesVersion));
    snapshot = s;
    return s;
  }

  /**
   * @return the response, or null when the request is plain CRUD for the mock
   */
  MockResponse handle(RecordedRequest request, ApiPath api) {
    HttpMethod method = request.method();
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.contains("protobuf")) {
      return json(
          415,
          Admission.status(
                  415,
                  "UnsupportedMediaType",
                  "the sandbox API reads JSON only, not " + contentType)
              .toString());
    }
    if (method == HttpMethod.GET && api.resource() == null) {
      return discovery(api);
    }
    if (api.resource() == null) {
      return null;
    }
    if (method == HttpMethod.GET
        && "pods".equals(api.resource())
        && "log".equals(api.subresource())
        && api.prefix().equals("/api/v1")) {
      return log(api);
    }
    boolean write =
        method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    if (!write || api.subresource() != null) {
      return null;
    }
    Optional<ApiResources.Resource> type = resources().find(api.prefix(), api.resource());
    if (type.isEmpty() || !type.get().custom()) {
      return method == HttpMethod.PATCH ? strategicAsMerge(request) : null;
    }
    return switch (method) {
      case POST -> api.name() == null ? admitCreate(request, api, type.get()) : null;
      case PUT -> api.name() != null ? admitWrite(request, api, type.get()) : null;
      case PATCH -> api.name() != null ? admitPatch(request, api, type.get()) : null;
      default -> null;
    };
  }

  private MockResponse discovery(ApiPath api) {
    String path = api.prefix().replaceAll("/+$", "");
    Snapshot s = snapshot();
    if (path.equals("/api")) {
      return json(200, Serialization.asJson(s.resources().coreVersions()));
    }
    if (path.equals("/apis")) {
      return json(200, Serialization.asJson(s.resources().groups()));
    }
    if (path.startsWith("/apis/") && path.indexOf('/', 6) < 0) {
      return s.resources()
          .group(path.substring(6))
          .map(g -> json(200, Serialization.asJson(g)))
          .orElseGet(() -> notFound("the server could not find the requested resource"));
    }
    if (path.equals("/api/v1") || (path.startsWith("/apis/") && api.namespace() == null)) {
      if (path.startsWith("/api/v1") || path.split("/").length == 4) {
        return s.resources()
            .resourceList(path)
            .map(l -> json(200, Serialization.asJson(l)))
            .orElseGet(() -> notFound("the server could not find the requested resource"));
      }
    }
    if (path.equals("/openapi/v3")) {
      return json(200, s.openApi().index().toString());
    }
    if (path.startsWith("/openapi/v3/")) {
      return s.openApi()
          .document(path.substring("/openapi/v3/".length()))
          .map(d -> json(200, d.toString()))
          .orElseGet(() -> notFound("the server could not find the requested resource"));
    }
    if (path.startsWith("/openapi/v2")) {
      return notFound("the sandbox serves OpenAPI v3 only (/openapi/v3)");
    }
    return null;
  }

  private MockResponse log(ApiPath api) {
    MockResponse pod =
        crud.dispatch(get(ApiPath.objectPath(api.prefix(), api.namespace(), "pods", api.name())));
    if (pod.code() != 200) {
      return notFound("pods \"" + api.name() + "\" not found");
    }
    String container = api.query().get("container");
    Optional<String> text;
    try {
      text = logs.read(api.namespace(), api.name(), container);
    } catch (IOException e) {
      return json(500, Admission.status(500, "InternalError", "reading the log: " + e).toString());
    }
    if (text.isEmpty()) {
      return json(
          400,
          Admission.status(
                  400,
                  "BadRequest",
                  "container in pod \"" + api.name() + "\" is waiting to start: ContainerCreating")
              .toString());
    }
    String out = tail(text.get(), api.query().get("tailLines"));
    String limit = api.query().get("limitBytes");
    if (limit != null) {
      byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
      int n = (int) Math.min(bytes.length, Long.parseLong(limit));
      out = new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "text/plain")
        .setBody(out);
  }

  /**
   * @param text a log
   * @param tailLines the {@code tailLines} parameter, or null for all
   * @return the last lines
   */
  static String tail(String text, String tailLines) {
    if (tailLines == null) {
      return text;
    }
    int n = Integer.parseInt(tailLines);
    if (n < 0) {
      return text;
    }
    int end = text.endsWith("\n") ? text.length() - 1 : text.length();
    int at = end;
    for (int i = 0; i < n; i++) {
      at = text.lastIndexOf('\n', at - 1);
      if (at < 0) {
        return text;
      }
    }
    return text.substring(at + 1);
  }

  private MockResponse admitCreate(
      RecordedRequest request, ApiPath api, ApiResources.Resource type) {
    String name =
        SandboxDispatcher.readTree(SandboxDispatcher.utf8(request))
            .path("metadata")
            .path("name")
            .asText("");
    if (!name.isEmpty()
        && crud.dispatch(
                    get(ApiPath.objectPath(api.prefix(), api.namespace(), api.resource(), name)))
                .code()
            == 200) {
      return json(
          409,
          Admission.status(
                  409,
                  "AlreadyExists",
                  type.plural() + "." + type.group() + " \"" + name + "\" already exists")
              .toString());
    }
    return admitWrite(request, api, type);
  }

  private MockResponse admitWrite(
      RecordedRequest request, ApiPath api, ApiResources.Resource type) {
    JsonNode object = SandboxDispatcher.readTree(SandboxDispatcher.utf8(request));
    Admission.Outcome outcome = admission.admit(type, object, api.query().get("fieldValidation"));
    if (!outcome.admitted()) {
      return json(outcome.code(), outcome.status().toString());
    }
    return crud.dispatch(
        new RecordedRequest(
            request.getHttpVersion(),
            request.method(),
            request.getPath(),
            request.getHeaders(),
            new Buffer(outcome.object().toString().getBytes(StandardCharsets.UTF_8))));
  }

  private MockResponse admitPatch(
      RecordedRequest request, ApiPath api, ApiResources.Resource type) {
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.startsWith("application/apply-patch")) {
      return null; // server-side apply: the mock answers 415, as before
    }
    JsonNode patch = SandboxDispatcher.readTree(SandboxDispatcher.utf8(request));
    boolean pinned = !patch.path("metadata").path("resourceVersion").isMissingNode();
    String objectPath = api.objectPath();
    MockResponse last = null;
    for (int attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
      MockResponse current = crud.dispatch(get(objectPath));
      if (current.code() != 200) {
        return notFound(type.plural() + "." + type.group() + " \"" + api.name() + "\" not found");
      }
      JsonNode patched;
      try {
        patched =
            Admission.applyPatch(
                contentType, SandboxDispatcher.readTree(current.getBody().readUtf8()), patch);
      } catch (RuntimeException e) {
        return json(
            422,
            Admission.status(422, "Invalid", "the patch cannot be applied: " + e.getMessage())
                .toString());
      }
      Admission.Outcome outcome =
          admission.admit(type, patched, api.query().get("fieldValidation"));
      if (!outcome.admitted()) {
        return json(outcome.code(), outcome.status().toString());
      }
      last =
          crud.dispatch(
              new RecordedRequest(
                  request.getHttpVersion(),
                  HttpMethod.PUT,
                  objectPath,
                  Headers.builder().add("Content-Type", "application/json").build(),
                  new Buffer(outcome.object().toString().getBytes(StandardCharsets.UTF_8))));
      if (last.code() != 409 || pinned) {
        return last;
      }
    }
    return last;
  }

  private MockResponse strategicAsMerge(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.startsWith("application/strategic-merge-patch+json")) {
      return null;
    }
    Headers headers =
        request
            .getHeaders()
            .newBuilder()
            .removeAll("Content-Type")
            .add("Content-Type", "application/merge-patch+json")
            .build();
    return crud.dispatch(
        new RecordedRequest(
            request.getHttpVersion(),
            request.method(),
            request.getPath(),
            headers,
            new Buffer(request.getBody().getBytes())));
  }

  /**
   * Shapes a successful GET as the API server would: a Table when the client asked for one ({@code
   * Accept: ...;as=Table}); otherwise a list gets its typed kind ({@code PodList}, {@code
   * StreamingJobList}, where the mock says {@code List}: typed clients such as {@code kubectl
   * describe}'s event search decode nothing from a plain {@code List}) and {@code
   * metadata.resourceVersion} (the highest of its items, where a watch may start); a missing object
   * gets the API server's NotFound Status ({@code pods "x" not found}).
   *
   * @return the response to send
   */
  MockResponse present(RecordedRequest request, ApiPath api, MockResponse response) {
    if (response.code() == 404 && api.name() != null && api.subresource() == null) {
      String group = api.prefix().startsWith("/apis/") ? "." + api.prefix().split("/")[2] : "";
      return notFound(api.resource() + group + " \"" + api.name() + "\" not found");
    }
    if (api.resource() == null
        || api.subresource() != null
        || response.code() != 200
        || response.getBody() == null) {
      return response;
    }
    Optional<ApiResources.Resource> type = resources().find(api.prefix(), api.resource());
    if (type.isEmpty()) {
      return response;
    }
    JsonNode body = SandboxDispatcher.readTree(response.getBody().readUtf8());
    if (api.name() == null && body instanceof ObjectNode list) {
      list.put("kind", type.get().kind() + "List");
      list.put("apiVersion", type.get().groupVersion());
      ObjectNode meta =
          list.has("metadata") && list.get("metadata").isObject()
              ? (ObjectNode) list.get("metadata")
              : list.putObject("metadata");
      if (!meta.hasNonNull("resourceVersion")) {
        long max = 0;
        for (JsonNode item : list.path("items")) {
          max = Math.max(max, item.path("metadata").path("resourceVersion").asLong(0));
        }
        meta.put("resourceVersion", Long.toString(max));
      }
    }
    if (!wantsTable(request.getHeader("Accept"))) {
      return json(200, body.toString());
    }
    TableConverter converter = TableConverter.of(type.get(), clock.instant());
    TableConverter.IncludeObject include =
        TableConverter.IncludeObject.parse(api.query().get("includeObject"));
    ObjectNode table =
        api.name() == null ? converter.list(body, include) : converter.single(body, include, true);
    return json(200, table.toString());
  }

  /**
   * A watch event with its object as a one-row Table, for a watch that asked for Tables.
   *
   * @param api the watch's path
   * @param includeObject the {@code includeObject} parameter
   * @param event the event ({@code {"type":..., "object":...}})
   * @param withColumns whether the Table carries its column definitions (first event only)
   * @return the event to send
   */
  String tableEvent(ApiPath api, String event, boolean withColumns) {
    ObjectNode e = (ObjectNode) SandboxDispatcher.readTree(event);
    String type = e.path("type").asText();
    if (type.equals("ERROR") || type.equals("BOOKMARK")) {
      return event;
    }
    Optional<ApiResources.Resource> resource = resources().find(api.prefix(), api.resource());
    if (resource.isEmpty()) {
      return event;
    }
    e.set(
        "object",
        TableConverter.of(resource.get(), clock.instant())
            .single(
                e.path("object"),
                TableConverter.IncludeObject.parse(api.query().get("includeObject")),
                withColumns));
    return e.toString();
  }

  /**
   * @param accept the Accept header
   * @return true when it lists a {@code meta.k8s.io} Table
   */
  static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  private static RecordedRequest get(String path) {
    return new RecordedRequest(
        "HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer());
  }

  private static MockResponse notFound(String message) {
    return json(404, Admission.status(404, "NotFound", message).toString());
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }
}
