/**
 * The operator's own observability: Prometheus {@code /metrics} (java-operator-sdk's Micrometer
 * metrics, JVM metrics, per-StreamingJob gauges read from the informer cache), the {@code /healthz}
 * and {@code /readyz} probes from java-operator-sdk's {@code RuntimeInfo}, served by one small HTTP
 * server.
 */
package dev.spate.operator.monitoring;
