package dev.spate.operator.monitoring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spate.operator.SpateOperator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoints, on the JDK's built-in HTTP server (one thread):
 *
 * <ul>
 *   <li>{@code GET /metrics}: every meter of the registry in the Prometheus text exposition format
 *       0.0.4 (what {@code PrometheusMeterRegistry.scrape()} writes), job gauges refreshed first;
 *   <li>{@code GET /healthz}: liveness, {@code GET /readyz}: readiness ({@link OperatorHealth}),
 *       200 or 503 with one line of text.
 * </ul>
 */
public final class MonitoringServer implements AutoCloseable {

  /** Content type of the Prometheus text format 0.0.4. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  /**
   * Starts serving.
   *
   * @param port TCP port on all interfaces; {@code 0} = any free port (see {@link #port()})
   * @param registry the Prometheus registry to scrape
   * @param jobMetrics refreshed before each scrape
   * @param health the current probe state
   * @throws IOException when the port cannot be bound
   */
  public MonitoringServer(
      int port,
      PrometheusMeterRegistry registry,
      JobMetrics jobMetrics,
      Supplier<OperatorHealth.State> health)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          jobMetrics.refresh();
          respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
        });
    server.createContext(
        "/healthz", exchange -> probe(exchange, OperatorHealth.liveness(health.get())));
    server.createContext(
        "/readyz", exchange -> probe(exchange, OperatorHealth.readiness(health.get())));
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "spate-monitoring");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  /**
   * Serves an operator's endpoints: its job gauges ({@link JobMetrics} on its informer cache and
   * leadership) are added to the registry.
   *
   * @param port TCP port on all interfaces; {@code 0} = any free port
   * @param registry the registry the operator's {@code MicrometerMetrics} write to, e.g. from
   *     {@link #newRegistry()}
   * @param operator the operator (need not be started yet: the probes say so)
   * @return the running server
   * @throws IOException when the port cannot be bound
   */
  public static MonitoringServer forOperator(
      int port, PrometheusMeterRegistry registry, SpateOperator operator) throws IOException {
    JobMetrics jobs =
        new JobMetrics(registry, operator::cachedJobs, operator::isLeader, operator::liveKafka);
    return new MonitoringServer(port, registry, jobs, healthOf(operator));
  }

  /**
   * A Prometheus registry with the JVM's meters bound (Micrometer's binders: memory pools, GC,
   * threads, class loading, processor, uptime, file descriptors; names {@code jvm_*}, {@code
   * process_*}, {@code system_*}).
   *
   * @return the registry
   */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return registry;
  }

  /**
   * The probe state of an operator, from JOSDK's {@link RuntimeInfo}.
   *
   * @param operator the operator
   * @return a supplier of its current state
   */
  public static Supplier<OperatorHealth.State> healthOf(SpateOperator operator) {
    return () -> {
      RuntimeInfo info = operator.runtimeInfo();
      if (!info.isStarted()) {
        return new OperatorHealth.State(false, false, List.of());
      }
      List<String> unhealthy = new ArrayList<>();
      info.unhealthyEventSources()
          .forEach(
              (controller, sources) ->
                  sources.forEach(
                      (source, indicator) ->
                          unhealthy.add(controller + "/" + source + ": " + indicator.getStatus())));
      return new OperatorHealth.State(true, operator.isLeader(), unhealthy);
    };
  }

  /**
   * @return the port actually bound
   */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange exchange, OperatorHealth.Probe probe) throws IOException {
    respond(exchange, probe.ok() ? 200 : 503, "text/plain; charset=utf-8", probe.message() + "\n");
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  /** Stops serving at once. */
  @Override
  public void close() {
    server.stop(0);
  }
}
