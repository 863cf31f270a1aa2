package dev.spate.sandbox.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox API as kubectl (client-go) talks to it: plain HTTP on a loopback port, with watches
 * as a streamed response of newline-separated JSON events, the way the API server serves {@code
 * ?watch=true}
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes).
 * fabric8's mock server only serves watches over WebSocket (what fabric8 and Spark use), so this
 * front end, built on the JDK's {@code com.sun.net.httpserver}, passes every request to the same
 * {@link SandboxDispatcher} in-process and bridges the dispatcher's watch listener to the streamed
 * response: a watch that asked for Tables gets each event's object as a one-row Table (column
 * definitions with the first event only), and a watch from a {@code resourceVersion} also gets the
 * deletions since then ({@link Tombstones}). A watch ends when the client goes away (seen at the
 * next event), at {@code timeoutSeconds}, or after 30 minutes, as an API server ends long watches.
 */
public final class KubectlServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubectlServer.class);
  private static final long MAX_WATCH_SECONDS = 1800;

  private final HttpServer server;
  private final ExecutorService executor;
  private final SandboxDispatcher dispatcher;
  private final Set<CountDownLatch> openWatches = ConcurrentHashMap.newKeySet();

  private KubectlServer(HttpServer server, ExecutorService executor, SandboxDispatcher dispatcher) {
    this.server = server;
    this.executor = executor;
    this.dispatcher = dispatcher;
  }

  /**
   * Starts the front end on a free loopback port.
   *
   * @param dispatcher the sandbox API's dispatcher
   * @return the running server
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static KubectlServer start(SandboxDispatcher dispatcher) {
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "sandbox-kubectl-api");
              t.setDaemon(true);
              return t;
            });
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      KubectlServer s = new KubectlServer(http, executor, dispatcher);
      http.createContext("/", s::handle);
      http.setExecutor(executor);
      http.start();
      return s;
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot start the kubectl API endpoint", e);
    }
  }

  /**
   * @return the base URL for a kubeconfig, e.g. {@code http://127.0.0.1:40125}
   */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      RecordedRequest request = toRequest(exchange);
      ApiPath api = ApiPath.parse(request.getPath());
      if (request.method() == HttpMethod.GET && api.isWatch() && api.resource() != null) {
        watch(exchange, request, api);
        return;
      }
      send(exchange, dispatcher.dispatch(request));
    } catch (RuntimeException e) {
      LOG.warn("kubectl API request failed: {}", exchange.getRequestURI(), e);
    }
  }

  private static RecordedRequest toRequest(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Headers.Builder headers = Headers.builder();
    for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
      for (String v : e.getValue()) {
        headers.add(e.getKey(), v);
      }
    }
    String query = exchange.getRequestURI().getRawQuery();
    String path = exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
    return new RecordedRequest(
        "HTTP/1.1",
        HttpMethod.valueOf(exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT)),
        path,
        headers.build(),
        new Buffer(body));
  }

  private static void send(HttpExchange exchange, MockResponse response) throws IOException {
    if (response.getWebSocketListener() != null) {
      response = new MockResponse().setResponseCode(400).setBody("WebSocket upgrade expected");
    }
    response
        .getHeaders()
        .toMultimap()
        .forEach(
            (k, vs) -> {
              if (!k.equalsIgnoreCase("Content-Length")
                  && !k.equalsIgnoreCase("Transfer-Encoding")) {
                exchange.getResponseHeaders().put(k, vs);
              }
            });
    if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    byte[] body = response.getBody() == null ? new byte[0] : response.getBody().getBytes();
    exchange.sendResponseHeaders(response.code(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void watch(HttpExchange exchange, RecordedRequest request, ApiPath api)
      throws IOException {
    MockResponse response = dispatcher.dispatch(request);
    WebSocketListener listener = response.getWebSocketListener();
    if (listener == null) {
      send(exchange, response);
      return;
    }
    boolean table = KubectlFeatures.wantsTable(request.getHeader("Accept"));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    CountDownLatch ended = new CountDownLatch(1);
    openWatches.add(ended);
    StreamSocket socket =
        new StreamSocket(
            request,
            exchange.getResponseBody(),
            ended,
            table ? api : null,
            startingResourceVersion(api.query().get("resourceVersion")));
    try {
      listener.onOpen(socket, response);
      long after = startingResourceVersion(api.query().get("resourceVersion"));
      if (after > 0) {
        for (var deleted : dispatcher.deletedSince(api, after)) {
          com.fasterxml.jackson.databind.node.ObjectNode event =
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
          event.put("type", "DELETED").set("object", deleted);
          socket.send(event.toString());
        }
      }
      String timeout = api.query().get("timeoutSeconds");
      long seconds = timeout == null ? MAX_WATCH_SECONDS : Long.parseLong(timeout);
      ended.await(Math.min(seconds, MAX_WATCH_SECONDS), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      openWatches.remove(ended);
      socket.close(1000, "watch ended");
      listener.onClosed(socket, 1000, "watch ended");
    }
  }

  /**
   * @param resourceVersion the watch's {@code resourceVersion} parameter
   * @return the version after which events are sent; 0 (everything, as the mock replays existing
   *     objects) when absent, {@code 0} or not a number
   */
  static long startingResourceVersion(String resourceVersion) {
    if (resourceVersion == null || resourceVersion.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Whether a watch event is news to a client that watches from a resource version: the mock
   * replays every existing object as {@code ADDED} when a watch opens; the API server sends only
   * changes after the given version.
   *
   * @param event the event JSON
   * @param after the watch's starting resource version (0 = everything)
   * @return false for a replayed {@code ADDED} of an object not changed since {@code after}
   */
  static boolean isNews(com.fasterxml.jackson.databind.JsonNode event, long after) {
    if (after <= 0 || !"ADDED".equals(event.path("type").asText())) {
      return true;
    }
    long rv = event.path("object").path("metadata").path("resourceVersion").asLong(0);
    return rv == 0 || rv > after;
  }

  /** Stops the server and ends open watches. */
  @Override
  public void close() {
    openWatches.forEach(CountDownLatch::countDown);
    server.stop(0);
    executor.shutdownNow();
  }

  /** A "WebSocket" whose messages become lines of the streamed watch response. */
  private final class StreamSocket implements WebSocket {
    private final RecordedRequest request;
    private final OutputStream out;
    private final CountDownLatch ended;
    private final ApiPath tableOf;
    private final long after;
    private boolean first = true;
    private boolean closed;

    StreamSocket(
        RecordedRequest request,
        OutputStream out,
        CountDownLatch ended,
        ApiPath tableOf,
        long after) {
      this.request = request;
      this.out = out;
      this.ended = ended;
      this.tableOf = tableOf;
      this.after = after;
    }

    @Override
    public RecordedRequest request() {
      return request;
    }

    @Override
    public synchronized boolean send(String text) {
      if (closed) {
        return false;
      }
      try {
        if (!isNews(SandboxDispatcher.readTree(text), after)) {
          return true;
        }
        String event =
            tableOf == null ? text : dispatcher.kubectl().tableEvent(tableOf, text, first);
        first = false;
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.flush();
        return true;
      } catch (IOException | RuntimeException e) {
        closed = true;
        ended.countDown();
        return false;
      }
    }

    @Override
    public boolean send(byte[] bytes) {
      return send(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized boolean close(int code, String reason) {
      if (!closed) {
        closed = true;
        try {
          out.close();
        } catch (IOException e) {
          // the client is gone
        }
      }
      ended.countDown();
      return true;
    }
  }
}
