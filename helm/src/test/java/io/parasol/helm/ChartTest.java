package io.parasol.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The chart, linted and rendered with helm-java (Helm as a library, no helm binary), with the
 * default values and several values files; the manifests are parsed and checked.
 */
class ChartTest {

  static final Path CHART = Path.of("parasol");
  static final Path VALUES = Path.of("src/test/resources/values");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<JsonNode> render(String valuesFile) throws IOException {
    var template = new Helm(CHART).template().withName("parasol").withNamespace("parasol");
    if (valuesFile != null) {
      template = template.withValuesFile(VALUES.resolve(valuesFile));
    }
    String manifests = template.call();
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(manifests)) {
      YAML.readValues(parser, JsonNode.class)
          .forEachRemaining(
              doc -> {
                if (doc != null && !doc.isNull() && doc.has("kind")) {
                  docs.add(doc);
                }
              });
    }
    return docs;
  }

  static List<JsonNode> kind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  @Test
  void lintsClean() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
  }

  @Test
  void defaultsRenderAHighlyAvailableHardenedServer() throws IOException {
    List<JsonNode> docs = render(null);
    JsonNode deployment = kind(docs, "Deployment").get(0);
    assertTrue(deployment.at("/spec/replicas").asInt() >= 2, "replicas >= 2 by default");
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode server = pod.at("/containers/0");
    assertEquals("/q/health/ready", server.at("/readinessProbe/httpGet/path").asText());
    assertEquals("/q/health/live", server.at("/livenessProbe/httpGet/path").asText());
    assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
    assertTrue(server.at("/securityContext/readOnlyRootFilesystem").asBoolean());
    assertFalse(server.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
    assertEquals("ALL", server.at("/securityContext/capabilities/drop/0").asText());
    assertTrue(server.at("/resources/requests/cpu").isTextual());
    assertTrue(server.at("/resources/limits/memory").isTextual());
    assertEquals(1, kind(docs, "PodDisruptionBudget").size());
    assertEquals(1, kind(docs, "Service").size());
    assertEquals(1, kind(docs, "NetworkPolicy").size());
    assertEquals(1, kind(docs, "PersistentVolumeClaim").size());
    assertEquals(
        "ReadWriteMany",
        kind(docs, "PersistentVolumeClaim").get(0).at("/spec/accessModes/0").asText());
    assertEquals(0, kind(docs, "Ingress").size(), "no ingress unless asked");
    assertEquals(0, kind(docs, "Role").size(), "no RBAC without run namespaces");
    JsonNode config = kind(docs, "ConfigMap").get(0).path("data");
    assertEquals("false", config.path("PARASOL_DEMO_USERS").asText());
    assertEquals(
        "http://parasol.parasol.svc:8080", config.path("PARASOL_WORKER_CALLBACK_URL").asText());
    assertTrue(
        config.path("PARASOL_WORKER_KUBERNETES_IMAGE").asText().matches("parasol/worker:\\S+"),
        config.toString());
    assertEquals(
        "IfNotPresent", config.path("PARASOL_WORKER_KUBERNETES_IMAGE_PULL_POLICY").asText());
    assertEquals("1H", config.path("PARASOL_WORKER_KUBERNETES_JOB_TTL").asText());
    assertTrue(config.path("PARASOL_WORKER_KUBERNETES_IMAGE_PULL_SECRETS").isMissingNode());
  }

  @Test
  void secretsAreOnlyReferenced() throws IOException {
    for (String values : new String[] {null, "ha-ingress.yaml", "api-only.yaml"}) {
      List<JsonNode> docs = render(values);
      assertEquals(0, kind(docs, "Secret").size(), "the chart creates no Secret");
      JsonNode container = kind(docs, "Deployment").get(0).at("/spec/template/spec/containers/0");
      for (JsonNode env : container.path("env")) {
        assertTrue(env.has("valueFrom"), "env " + env.path("name") + " must come from a Secret");
        assertNotNull(env.at("/valueFrom/secretKeyRef/name").textValue());
      }
      kind(docs, "ConfigMap")
          .get(0)
          .path("data")
          .fieldNames()
          .forEachRemaining(
              name ->
                  // Image pull secrets are named, as the pod spec names them: not secret values.
                  assertFalse(
                      name.matches(".*(PASSWORD|SECRET|TOKEN).*")
                          && !name.endsWith("_IMAGE_PULL_SECRETS"),
                      name + " looks like a secret in a ConfigMap"));
    }
  }

  @Test
  void workerJobDefaultsReachTheServer() throws IOException {
    JsonNode config = kind(render("ha-ingress.yaml"), "ConfigMap").get(0).path("data");
    assertEquals(
        "registry.acme.example/parasol/worker:1.0.0",
        config.path("PARASOL_WORKER_KUBERNETES_IMAGE").asText());
    assertEquals("Always", config.path("PARASOL_WORKER_KUBERNETES_IMAGE_PULL_POLICY").asText());
    assertEquals(
        "acme-registry", config.path("PARASOL_WORKER_KUBERNETES_IMAGE_PULL_SECRETS").asText());
    assertEquals("30M", config.path("PARASOL_WORKER_KUBERNETES_JOB_TTL").asText());
  }

  @Test
  void theWebAppSignsInWithKeycloakAndSharesItsSessionKeyByReference() throws IOException {
    List<JsonNode> docs = render("ha-ingress.yaml");
    JsonNode config = kind(docs, "ConfigMap").get(0).path("data");
    assertEquals("code", config.path("PARASOL_WEB_SIGN_IN").asText());
    assertEquals("parasol-web", config.path("PARASOL_WEB_CLIENT_ID").asText());
    JsonNode env = kind(docs, "Deployment").get(0).at("/spec/template/spec/containers/0/env");
    List<String> fromWebSecret = new java.util.ArrayList<>();
    env.forEach(
        e -> {
          if ("parasol-web-session".equals(e.at("/valueFrom/secretKeyRef/name").asText())) {
            fromWebSecret.add(e.path("name").asText());
          }
        });
    assertEquals(
        List.of(
            "QUARKUS_OIDC_WEB_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET",
            "QUARKUS_OIDC_WEB_AUTHENTICATION_STATE_SECRET"),
        fromWebSecret);
  }

  @Test
  void runNamespacesGetALeastPrivilegeRole() throws IOException {
    List<JsonNode> docs = render("ha-ingress.yaml");
    List<JsonNode> roles = kind(docs, "Role");
    assertEquals(2, roles.size());
    assertEquals(0, kind(docs, "ClusterRole").size(), "nothing cluster-wide");
    for (JsonNode role : roles) {
      Set<String> grants = new TreeSet<>();
      for (JsonNode rule : role.path("rules")) {
        for (JsonNode resource : rule.path("resources")) {
          for (JsonNode verb : rule.path("verbs")) {
            grants.add(resource.asText() + ":" + verb.asText());
          }
        }
      }
      assertEquals(
          new TreeSet<>(
              List.of(
                  "jobs:create",
                  "jobs:get",
                  "jobs:list",
                  "jobs:watch",
                  "jobs:delete",
                  "pods:get",
                  "pods:list",
                  "pods:watch",
                  "pods/log:get",
                  "networkpolicies:create",
                  "networkpolicies:get",
                  "networkpolicies:update")),
          grants);
    }
    assertEquals(2, kind(docs, "RoleBinding").size());

    // Run pods reach the server's pods and DNS, and take no connections.
    List<JsonNode> workerPolicies =
        kind(docs, "NetworkPolicy").stream()
            .filter(p -> p.at("/metadata/name").asText().endsWith("-workers"))
            .toList();
    assertEquals(
        List.of("parasol-runs", "parasol-gpu-runs"),
        workerPolicies.stream().map(p -> p.at("/metadata/namespace").asText()).toList());
    for (JsonNode policy : workerPolicies) {
      assertEquals(
          "parasol",
          policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1managed-by").asText());
      assertEquals("[\"Ingress\",\"Egress\"]", policy.at("/spec/policyTypes").toString());
      assertEquals(0, policy.at("/spec/ingress").size());
      JsonNode egress = policy.at("/spec/egress");
      assertEquals(2, egress.size());
      assertEquals(
          "parasol",
          egress.at("/0/to/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText());
      assertEquals(
          "server",
          egress.at("/0/to/0/podSelector/matchLabels/app.kubernetes.io~1component").asText());
      assertEquals("http", egress.at("/0/ports/0/port").asText());
      assertEquals(1, egress.at("/0/ports").size());
      assertEquals("kube-dns", egress.at("/1/to/0/podSelector/matchLabels/k8s-app").asText());
      assertEquals(53, egress.at("/1/ports/0/port").asInt());
    }
    JsonNode ingress = kind(docs, "Ingress").get(0);
    assertEquals("parasol.acme.example", ingress.at("/spec/rules/0/host").asText());
    assertEquals("parasol-tls", ingress.at("/spec/tls/0/secretName").asText());
    JsonNode deployment = kind(docs, "Deployment").get(0);
    assertEquals(3, deployment.at("/spec/replicas").asInt());
    assertEquals(0, kind(docs, "PersistentVolumeClaim").size(), "an existing claim is used");
    List<String> env =
        StreamSupport.stream(
                deployment.at("/spec/template/spec/containers/0/env").spliterator(), false)
            .map(e -> e.path("name").asText())
            .toList();
    assertTrue(env.contains("QUARKUS_OIDC_CREDENTIALS_SECRET"), env.toString());
  }

  @Test
  void anApiOnlyReleaseDispatchesNothing() throws IOException {
    List<JsonNode> docs = render("api-only.yaml");
    assertEquals(
        "false", kind(docs, "ConfigMap").get(0).at("/data/PARASOL_PLACEMENT_DISPATCH").asText());
    assertEquals(
        "10S",
        kind(docs, "ConfigMap").get(0).at("/data/PARASOL_MONITORING_SAMPLE_INTERVAL").asText());
    assertEquals(0, kind(docs, "NetworkPolicy").size());
    assertEquals("50%", kind(docs, "PodDisruptionBudget").get(0).at("/spec/minAvailable").asText());
  }

  @Test
  void theSchemaRejectsBadValues() {
    for (String bad :
        List.of(
            "bad-replicas.yaml",
            "bad-database.yaml",
            "plaintext-password.yaml",
            "secret-in-config.yaml",
            "bad-worker.yaml")) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> render(bad), bad);
      assertTrue(e.getMessage().contains("schema"), bad + ": " + e.getMessage());
    }
  }
}
