package dev.spate.operator;

import dev.spate.api.validation.CrdRuleEvaluator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What every test against fabric8's mock API server in CRUD mode creates before an operator starts:
 * the generated StreamingJob CRD (the mock validates nothing without it, and the operator's
 * informers need its kind) and the namespace the operator watches.
 */
public final class MockCluster {

  private MockCluster() {}

  /**
   * Creates the generated StreamingJob CRD ({@link CrdRuleEvaluator#STREAMING_JOB_CRD}); once per
   * mock server, a second create fails with 409 Conflict.
   *
   * @throws UncheckedIOException when the CRD resource cannot be read
   */
  public static void createCrd(KubernetesClient client) {
    try (InputStream crd =
        CrdRuleEvaluator.class
            .getClassLoader()
            .getResourceAsStream(CrdRuleEvaluator.STREAMING_JOB_CRD)) {
      client
          .resource(
              client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
          .create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates a namespace.
   *
   * @return its name
   */
  public static String createNamespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }
}
