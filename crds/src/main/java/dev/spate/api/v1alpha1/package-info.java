/**
 * The {@code spate.dev/v1alpha1} API: the {@link dev.spate.api.v1alpha1.StreamingJob} custom
 * resource, its spec and status classes, and the constants ({@link
 * dev.spate.api.v1alpha1.Defaults}, {@link dev.spate.api.v1alpha1.ApiPatterns}) that the CRD schema
 * and the operator share.
 *
 * <p>The CRD YAML ({@code META-INF/spate/streamingjobs.spate.dev-v1.yml}) is generated from these
 * classes by fabric8's CRD generator and committed; a test fails when the two drift.
 */
package dev.spate.api.v1alpha1;
