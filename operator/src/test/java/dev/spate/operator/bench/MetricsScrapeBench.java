package dev.spate.operator.bench;

import dev.spate.api.v1alpha1.ExecutorsStatus;
import dev.spate.api.v1alpha1.KafkaStatus;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.monitoring.JobMetrics;
import dev.spate.operator.monitoring.MonitoringServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Size and time of one {@code /metrics} scrape (job gauges refreshed, then the Prometheus text
 * rendered) with N StreamingJobs in the cache, JVM meters bound as in the operator process. No
 * cluster: the jobs are made here with every status field set. Prints one line {@code SCRAPE jobs=N
 * bytes=… series=… p50=…ms p99=…ms}.
 *
 * <p>{@code java -cp <operator test classpath> dev.spate.operator.bench.MetricsScrapeBench [jobs]}
 */
public final class MetricsScrapeBench {

  private MetricsScrapeBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional job count (default 100)
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    List<StreamingJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StreamingJob job = new StreamingJob();
      job.setMetadata(
          new ObjectMetaBuilder().withNamespace("team-" + (i % 10)).withName("job-" + i).build());
      StreamingJobStatus s = new StreamingJobStatus();
      s.setPhase(Phase.values()[i % Phase.values().length]);
      KafkaStatus kafka = new KafkaStatus();
      kafka.setLag(1000L * i);
      kafka.setLagSeconds((long) i);
      s.setKafka(kafka);
      ExecutorsStatus executors = new ExecutorsStatus();
      executors.setDesired(4);
      executors.setReady(4);
      s.setExecutors(executors);
      job.setStatus(s);
      jobs.add(job);
    }
    PrometheusMeterRegistry registry = MonitoringServer.newRegistry();
    JobMetrics metrics = new JobMetrics(registry, () -> jobs, () -> true);
    String text = "";
    for (int i = 0; i < 200; i++) { // warm-up
      metrics.refresh();
      text = registry.scrape();
    }
    long[] nanos = new long[500];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      metrics.refresh();
      text = registry.scrape();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    long series = text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    long jobSeries = text.lines().filter(l -> l.startsWith("spate_job_")).count();
    System.out.printf(
        "SCRAPE jobs=%d bytes=%d series=%d (spate_job_*: %d) p50=%.2fms p99=%.2fms%n",
        n,
        text.getBytes(StandardCharsets.UTF_8).length,
        series,
        jobSeries,
        nanos[nanos.length / 2] / 1e6,
        nanos[nanos.length * 99 / 100] / 1e6);
  }
}
