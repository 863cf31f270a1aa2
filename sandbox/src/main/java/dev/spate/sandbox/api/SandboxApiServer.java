package dev.spate.sandbox.api;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's Kubernetes API server: fabric8's {@code kubernetes-server-mock} in CRUD mode on a
 * loopback port, behind a {@link SandboxDispatcher} that adds what Spark and the operator need of a
 * real API server (pending phase, selectors, garbage collection) and kubectl needs (discovery,
 * Tables, OpenAPI, admission, logs; served to kubectl on a second port by {@link KubectlServer},
 * see {@link #kubectlUrl()} and {@link #writeKubeconfig}). Spate's CRDs found on the classpath
 * under {@code META-INF/spate/*-v1.yml} are created at start, like {@code kubectl apply -k deploy/}
 * would.
 *
 * <pre>{@code
 * try (SandboxApiServer api = SandboxApiServer.start(false)) {
 *     KubernetesClient client = api.client();
 *     // spark.master = "k8s://" + api.url()
 * }
 * }</pre>
 */
public final class SandboxApiServer implements AutoCloseable {

  /** CRD resources of Spate's API, as crds/ generates them (fabric8 crd-generator file names). */
  public static final List<String> SPATE_CRD_RESOURCES =
      List.of("META-INF/spate/streamingjobs.spate.dev-v1.yml");

  /** The Kubernetes version the sandbox reports at {@code /version}. */
  public static final String KUBERNETES_VERSION = "v1.32.0";

  private static final Logger LOG = LoggerFactory.getLogger(SandboxApiServer.class);
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  private final KubernetesMockServer server;
  private final SandboxDispatcher dispatcher;
  private final boolean https;
  private final KubernetesClient client;
  private final KubectlServer kubectl;
  private final List<String> crds = new ArrayList<>();

  private SandboxApiServer(
      KubernetesMockServer server,
      SandboxDispatcher dispatcher,
      boolean https,
      KubectlServer kubectl) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.https = https;
    this.kubectl = kubectl;
    this.client = server.createClient();
  }

  /**
   * Starts the server on a free loopback port, creates the {@code default} namespace and Spate's
   * CRDs found on the classpath.
   *
   * @param https serve HTTPS with a self-signed certificate (clients must trust all certificates;
   *     Spark: {@code spark.kubernetes.trust.certificates=true}) instead of plain HTTP
   * @return the running server
   */
  public static SandboxApiServer start(boolean https) {
    // the mock web server logs every request at INFO through java.util.logging
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(Collections.emptyList());
    SandboxDispatcher dispatcher = new SandboxDispatcher(crud, KUBERNETES_VERSION);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            dispatcher,
            https);
    KubectlServer kubectl;
    try {
      server.init(InetAddress.getLoopbackAddress(), 0);
      kubectl = KubectlServer.start(dispatcher);
    } catch (RuntimeException e) {
      server.destroy();
      dispatcher.close();
      throw e;
    }
    SandboxApiServer api = new SandboxApiServer(server, dispatcher, https, kubectl);
    try {
      api.client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build())
          .create();
      for (String resource : SPATE_CRD_RESOURCES) {
        URL url = SandboxApiServer.class.getClassLoader().getResource(resource);
        if (url == null) {
          LOG.warn("CRD {} not on the classpath; StreamingJobs cannot be created", resource);
          continue;
        }
        try (InputStream in = url.openStream()) {
          api.createCrd(in);
        }
      }
    } catch (IOException e) {
      api.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
    return api;
  }

  /**
   * Creates a CustomResourceDefinition from YAML or JSON.
   *
   * @param yaml the CRD document
   * @return the CRD's name, e.g. {@code streamingjobs.spate.dev}
   */
  public String createCrd(InputStream yaml) {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().load(yaml).item();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    crds.add(crd.getMetadata().getName());
    return crd.getMetadata().getName();
  }

  /**
   * @return names of the CRDs created at start or by {@link #createCrd}
   */
  public List<String> crds() {
    return List.copyOf(crds);
  }

  /**
   * @return the base URL, e.g. {@code http://127.0.0.1:40123} (no trailing slash)
   */
  public String url() {
    return (https ? "https" : "http") + "://127.0.0.1:" + server.getPort();
  }

  /**
   * @return the URL kubectl (client-go) uses: plain HTTP, watches streamed (see {@link
   *     KubectlServer}), e.g. {@code http://127.0.0.1:40125}
   */
  public String kubectlUrl() {
    return kubectl.url();
  }

  /**
   * Writes a kubeconfig for kubectl: cluster {@code spate-sandbox} at {@link #kubectlUrl()}, an
   * empty user (the sandbox does no authentication), context {@code spate-sandbox} (current) with
   * namespace {@code default}.
   *
   * @param file where (parent directories are created)
   * @return the file
   * @throws UncheckedIOException when it cannot be written
   */
  public java.nio.file.Path writeKubeconfig(java.nio.file.Path file) {
    io.fabric8.kubernetes.api.model.Config config =
        new io.fabric8.kubernetes.api.model.ConfigBuilder()
            .withApiVersion("v1")
            .withKind("Config")
            .addNewCluster()
            .withName("spate-sandbox")
            .withNewCluster()
            .withServer(kubectlUrl())
            .endCluster()
            .endCluster()
            .addNewUser()
            .withName("spate-sandbox")
            .withNewUser()
            .endUser()
            .endUser()
            .addNewContext()
            .withName("spate-sandbox")
            .withNewContext()
            .withCluster("spate-sandbox")
            .withUser("spate-sandbox")
            .withNamespace("default")
            .endContext()
            .endContext()
            .withCurrentContext("spate-sandbox")
            .build();
    try {
      java.nio.file.Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        java.nio.file.Files.createDirectories(parent);
      }
      java.nio.file.Files.writeString(file, Serialization.asYaml(config));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * @return true when serving HTTPS with a self-signed certificate
   */
  public boolean https() {
    return https;
  }

  /**
   * @return the TCP port
   */
  public int port() {
    return server.getPort();
  }

  /**
   * @return a client of this server (shared; do not close)
   */
  public KubernetesClient client() {
    return client;
  }

  /**
   * @return a new client of this server; the caller closes it
   */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /**
   * @param userAgent the {@code User-Agent} its requests carry (see {@link ApiAccessLog})
   * @return a new client of this server; the caller closes it
   */
  public KubernetesClient newClient(String userAgent) {
    io.fabric8.kubernetes.client.Config config;
    try (KubernetesClient plain = server.createClient()) {
      config =
          new io.fabric8.kubernetes.client.ConfigBuilder(plain.getConfiguration())
              .withUserAgent(userAgent)
              .build();
    }
    return server.createClient(builder -> builder.withConfig(config));
  }

  /**
   * @return the calls made so far, as RBAC grants per caller
   */
  public ApiAccessLog accessLog() {
    return dispatcher.accessLog();
  }

  /**
   * @return the dispatcher (for its garbage collector)
   */
  public SandboxDispatcher dispatcher() {
    return dispatcher;
  }

  /** Closes the client, stops the server and the garbage collector. */
  @Override
  public void close() {
    try {
      kubectl.close();
      client.close();
    } finally {
      try {
        server.destroy();
      } finally {
        dispatcher.close();
      }
    }
  }
}
