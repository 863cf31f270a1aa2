package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request attributes and RBAC rule matching as the API server does them. */
class RbacAuthorizerTest {

  private static final String PODS = "/api/v1/namespaces/ns/pods";
  private static final String CONFIG_MAPS = "/api/v1/namespaces/ns/configmaps";

  @Test
  void verbsFollowTheMethodAndTheName() {
    assertThat(RbacAuthorizer.attributes("GET", PODS + "/p").verb()).isEqualTo("get");
    assertThat(RbacAuthorizer.attributes("GET", PODS + "?labelSelector=a%3Db").verb())
        .isEqualTo("list");
    assertThat(RbacAuthorizer.attributes("GET", PODS + "?watch=true").verb()).isEqualTo("watch");
    assertThat(RbacAuthorizer.attributes("POST", PODS).verb()).isEqualTo("create");
    assertThat(RbacAuthorizer.attributes("PUT", PODS + "/p").verb()).isEqualTo("update");
    assertThat(RbacAuthorizer.attributes("PATCH", PODS + "/p").verb()).isEqualTo("patch");
    assertThat(RbacAuthorizer.attributes("DELETE", PODS + "/p").verb()).isEqualTo("delete");
    assertThat(RbacAuthorizer.attributes("DELETE", PODS + "?labelSelector=a%3Db").verb())
        .isEqualTo("deletecollection");
    assertThat(RbacAuthorizer.attributes("GET", "/version")).isNull();
    RbacAuthorizer.Attributes roles =
        RbacAuthorizer.attributes("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/ns/roles");
    assertThat(roles.apiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(roles.resource()).isEqualTo("roles");
    assertThat(RbacAuthorizer.attributes("PUT", PODS + "/p/status").resource())
        .isEqualTo("pods/status");
  }

  @Test
  void listAndWatchTakeTheNameOfAMetadataNameFieldSelector() {
    RbacAuthorizer.Attributes watch =
        RbacAuthorizer.attributes(
            "GET", CONFIG_MAPS + "?fieldSelector=metadata.name%3Djob-control&watch=true");
    assertThat(watch.verb()).isEqualTo("watch");
    assertThat(watch.name()).isEqualTo("job-control");
    assertThat(
            RbacAuthorizer.attributes("GET", CONFIG_MAPS + "?fieldSelector=status.phase%3DRunning")
                .name())
        .isNull();
  }

  @Test
  void resourceNamesRestrictOnlyRequestsForThatName() {
    List<PolicyRule> rules =
        List.of(
            new PolicyRuleBuilder()
                .withApiGroups("")
                .withResources("configmaps")
                .withResourceNames("job-control")
                .withVerbs("get", "watch", "list", "patch")
                .build(),
            new PolicyRuleBuilder()
                .withApiGroups("")
                .withResources("configmaps")
                .withVerbs("create")
                .build());
    assertThat(
            RbacAuthorizer.allows(
                rules, RbacAuthorizer.attributes("PATCH", CONFIG_MAPS + "/job-control")))
        .isTrue();
    assertThat(
            RbacAuthorizer.allows(
                rules, RbacAuthorizer.attributes("PATCH", CONFIG_MAPS + "/other")))
        .isFalse();
    assertThat(
            RbacAuthorizer.allows(
                rules,
                RbacAuthorizer.attributes(
                    "GET", CONFIG_MAPS + "?fieldSelector=metadata.name%3Djob-control&watch=true")))
        .isTrue();
    assertThat(
            RbacAuthorizer.allows(
                rules, RbacAuthorizer.attributes("GET", CONFIG_MAPS + "?watch=true")))
        .as("a watch of every ConfigMap")
        .isFalse();
    assertThat(RbacAuthorizer.allows(rules, RbacAuthorizer.attributes("POST", CONFIG_MAPS)))
        .isTrue();
    assertThat(RbacAuthorizer.allows(rules, RbacAuthorizer.attributes("DELETE", CONFIG_MAPS)))
        .as("deletecollection")
        .isFalse();
    assertThat(RbacAuthorizer.allows(rules, RbacAuthorizer.attributes("GET", PODS + "/p")))
        .isFalse();
  }
}
