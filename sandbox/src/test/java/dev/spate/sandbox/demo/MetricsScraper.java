package dev.spate.sandbox.demo;

import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.kubelet.ProcessKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrapes, every 500 ms on its own thread, what a Prometheus would: the operator's {@code /metrics}
 * and the job driver's Spark endpoints {@code /metrics/prometheus} (PrometheusServlet) and {@code
 * /metrics/executors/prometheus} on the UI port (found through the kubelet's port map). Keeps, per
 * series (metric name + labels), the highest value seen, and the last body of each endpoint.
 */
final class MetricsScraper implements AutoCloseable {

  /** Endpoints on the driver's UI port. */
  static final List<String> DRIVER_PATHS =
      List.of("/metrics/prometheus", "/metrics/executors/prometheus");

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

  private final Sandbox sandbox;
  private final String namespace;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          // as Prometheus does (follow_redirects): Spark's Jetty answers /metrics/prometheus with a
          // redirect to /metrics/prometheus/
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
  private final Map<String, Double> maxBySeries = new ConcurrentHashMap<>();
  private final Map<String, String> lastBody = new ConcurrentHashMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong operatorScrapes = new AtomicLong();
  private final AtomicLong operatorScrapeNanos = new AtomicLong();
  private final Thread thread;

  /**
   * Starts scraping.
   *
   * @param sandbox a sandbox with monitoring
   * @param namespace the job's namespace (its driver is the pod labelled {@code spark-role=driver})
   */
  MetricsScraper(Sandbox sandbox, String namespace) {
    this.sandbox = sandbox;
    this.namespace = namespace;
    this.thread = new Thread(this::run, "metrics-scraper");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!stop.get()) {
      long t0 = System.nanoTime();
      if (scrape("operator", sandbox.operatorMetrics())) {
        operatorScrapes.incrementAndGet();
        operatorScrapeNanos.addAndGet(System.nanoTime() - t0);
      }
      List<Pod> drivers =
          sandbox
              .client()
              .pods()
              .inNamespace(namespace)
              .withLabel("spark-role", "driver")
              .list()
              .getItems();
      for (Pod driver : drivers) {
        sandbox
            .kubelet()
            .hostPort(namespace, driver.getMetadata().getName(), ProcessKubelet.SPARK_UI_PORT)
            .ifPresent(
                port ->
                    DRIVER_PATHS.forEach(
                        path -> scrape(path, URI.create("http://127.0.0.1:" + port + path))));
      }
      try {
        Thread.sleep(500); // the scrape interval, like a Prometheus scrape_interval
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One scrape; false when the endpoint did not answer 200 (e.g. the UI not up yet). */
  private boolean scrape(String endpoint, URI uri) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        lastBody.put(endpoint + "-status", "HTTP " + r.statusCode() + "\n" + r.body());
        return false;
      }
      lastBody.put(endpoint, r.body());
      for (String line : r.body().split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (!line.startsWith("#") && m.find()) {
          double value = parse(m.group(3));
          String series = m.group(1) + (m.group(2) == null ? "" : m.group(2));
          maxBySeries.merge(series, value, (a, b) -> Double.isNaN(a) ? b : Math.max(a, b));
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static double parse(String value) {
    try {
      return Double.parseDouble(value.replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * @return every metric name seen in any scrape
   */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    maxBySeries.keySet().forEach(s -> names.add(s.replaceAll("\\{.*", "")));
    return names;
  }

  /**
   * @param name a metric name
   * @param labels label matchers the series must contain, e.g. {@code name="x"}
   * @return the highest value any matching series had, NaN when none was seen
   */
  double max(String name, String... labels) {
    double max = Double.NaN;
    for (Map.Entry<String, Double> e : maxBySeries.entrySet()) {
      String series = e.getKey();
      if (!series.equals(name) && !series.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= series.contains(l);
      }
      if (all && !e.getValue().isNaN()) {
        max = Double.isNaN(max) ? e.getValue() : Math.max(max, e.getValue());
      }
    }
    return max;
  }

  /**
   * @return series of one metric name seen so far, for messages
   */
  Set<String> series(String name) {
    Set<String> out = new TreeSet<>();
    maxBySeries.forEach(
        (s, v) -> {
          if (s.equals(name) || s.startsWith(name + "{")) {
            out.add(s + " max " + v);
          }
        });
    return out;
  }

  /**
   * @return successful scrapes of the operator's {@code /metrics}, and their mean time in ms
   */
  String operatorFigures() {
    long n = operatorScrapes.get();
    String body = lastBody.getOrDefault("operator", "");
    return String.format(
        java.util.Locale.ROOT,
        "%d scrapes, mean %.1f ms, last %d bytes / %d lines",
        n,
        n == 0 ? 0.0 : operatorScrapeNanos.get() / 1e6 / n,
        body.length(),
        body.split("\n").length);
  }

  /**
   * Writes the last body of each endpoint into a directory.
   *
   * @param dir the directory
   * @throws IOException when a file cannot be written
   */
  void dump(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, String> e : lastBody.entrySet()) {
      Files.writeString(
          dir.resolve(e.getKey().replaceAll("[^a-z]+", "-").replaceAll("^-", "") + ".txt"),
          e.getValue());
    }
  }

  @Override
  public void close() {
    stop.set(true);
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
