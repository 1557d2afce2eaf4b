package dev.quarkchat.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.EmbeddedRedis;
import dev.quarkchat.testing.KubernetesDeployment;
import dev.quarkchat.testing.OperatorKeys;
import dev.quarkchat.testing.PackagedApp;
import dev.quarkchat.testing.PostgresServer;
import dev.quarkchat.testing.TestCertificates;
import dev.quarkchat.testing.TestTokens;

import io.smallrye.jwt.build.Jwt;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The packaged build (jar, or the native executable with {@code -Dnative}) started with exactly the
 * environment and arguments the Kubernetes manifests give the container, and files in place of the
 * mounted secrets: it must serve wss:// with the mounted certificate, answer its probes over HTTPS
 * as the kubelet asks them, let in the ConfigMap's allowed origin and refuse an upgrade without
 * one.
 */
class DeployedEnvironmentIT {

    private static final Path BASE = Path.of("k8s", "base");
    private static final Path REDIS_OVERLAY = Path.of("k8s", "overlays", "redis-backplane");
    private static final Path OLDER_CLUSTERS_OVERLAY = Path.of("k8s", "overlays", "before-1.30");
    private static final Path REDIS_POSTGRES_OVERLAY = Path.of("k8s", "overlays", "redis-postgres");
    private static final int OK = 200;
    private static final int FORBIDDEN = 403;
    private static final int MOVED_PERMANENTLY = 301;

    private static KeyPair issuerKeys;
    private static Map<String, Map<String, String>> secrets;

    @BeforeAll
    static void makeTheSecrets() throws IOException {
        issuerKeys = TestTokens.newKeyPair();
        TestCertificates.generate();
        secrets = new HashMap<>();
        secrets.put(
                "quarkchat-jwt",
                Map.of(
                        "public-key.pem",
                        OperatorKeys.pem("PUBLIC KEY", issuerKeys.getPublic().getEncoded())));
        secrets.put(
                "quarkchat-tls",
                Map.of(
                        "tls.crt",
                        Files.readString(TestCertificates.CERTIFICATE),
                        "tls.key",
                        Files.readString(TestCertificates.PRIVATE_KEY)));
    }

    @Test
    void theBaseStartsServesWssAndPassesItsProbes() throws Exception {
        KubernetesDeployment deployment = KubernetesDeployment.build(BASE);
        try (PackagedApp app = start("k8s-base", deployment)) {
            assertServesTheChatAsDeployed(app, deployment);
        }
    }

    @Test
    void theOverlayForOlderClustersStartsServesWssAndPassesItsProbes() throws Exception {
        KubernetesDeployment deployment = KubernetesDeployment.build(OLDER_CLUSTERS_OVERLAY);
        try (PackagedApp app = start("k8s-before-1.30", deployment)) {
            assertServesTheChatAsDeployed(app, deployment);
        }
    }

    @Test
    void theRedisOverlayStartsWithItsBackplane() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            secrets.put("quarkchat-redis", Map.of("hosts", redis.uri()));
            KubernetesDeployment deployment = KubernetesDeployment.build(REDIS_OVERLAY);
            assertThat(deployment.environment(secrets)).containsEntry("CHAT_BACKPLANE", "redis");
            try (PackagedApp app = start("k8s-redis-overlay", deployment)) {
                assertServesTheChatAsDeployed(app, deployment);
                assertThat(get(app.secureBaseUri().resolve("/q/metrics")).body())
                        .as("the backplane is connected")
                        .contains("chat_backplane_up{shard=\"0-16383\"} 1.0");
            }
        }
    }

    @Test
    void theRedisPostgresOverlayStartsWithItsStore() throws Exception {
        PostgresServer postgres = PostgresServer.start();
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            String password = "deployed-" + UUID.randomUUID();
            String database = postgres.createDatabaseOwnedBy("deployed", password);
            secrets.put("quarkchat-redis", Map.of("hosts", redis.uri()));
            secrets.put("quarkchat-db", Map.of("username", "deployed", "password", password));
            KubernetesDeployment deployment = KubernetesDeployment.build(REDIS_POSTGRES_OVERLAY);
            assertThat(deployment.environment(secrets))
                    .containsEntry("CHAT_HISTORY_STORE", "postgres")
                    .containsEntry("QUARKUS_DATASOURCE_PASSWORD", password);
            // The database's Service name resolves only in the cluster: the test's server stands
            // in for it.
            Map<String, String> address =
                    Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
            try (PackagedApp app = start("k8s-redis-postgres-overlay", deployment, address)) {
                assertServesTheChatAsDeployed(app, deployment);
                String metrics = get(app.secureBaseUri().resolve("/q/metrics")).body();
                assertThat(metrics)
                        .as("the backplane is connected")
                        .contains("chat_backplane_up{shard=\"0-16383\"} 1.0");
                assertThat(metrics).as("the store is connected").contains("chat_store_up 1.0");
            }
        } finally {
            postgres.stop();
        }
    }

    private void assertServesTheChatAsDeployed(PackagedApp app, KubernetesDeployment deployment)
            throws Exception {
        Map<String, String> environment = deployment.environment(secrets);
        URI secure = app.secureBaseUri();
        // As the kubelet does, the probes are asked again until they pass: readiness waits for the
        // backplane and the first load of the bans, which come a moment after the port opens.
        await().atMost(ChatClient.TIMEOUT)
                .untilAsserted(
                        () -> {
                            for (String probe : deployment.probePaths()) {
                                assertThat(get(secure.resolve(probe)).statusCode())
                                        .as(probe)
                                        .isEqualTo(OK);
                            }
                        });

        String token =
                Jwt.upn("deployed-dana")
                        .issuer(environment.get("MP_JWT_VERIFY_ISSUER"))
                        .expiresIn(600)
                        .sign(issuerKeys.getPrivate());
        String allowedOrigin = environment.get("CHAT_ALLOWED_ORIGINS").split(",", -1)[0];
        try (ChatClient client =
                ChatClient.open(
                        ChatClient.handshake(secure)
                                .secure(TestCertificates.trustingIt())
                                .header("Authorization", "Bearer " + token)
                                .header("Origin", allowedOrigin))) {
            client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
            client.send("lobby", "hello from the pod", "pod-1");
            assertThat(client.awaitMessage("pod-1").getString("from")).isEqualTo("deployed-dana");
        }
        assertThat(
                        ChatClient.rejectedStatus(
                                ChatClient.handshake(secure)
                                        .secure(TestCertificates.trustingIt())
                                        .header("Authorization", "Bearer " + token)))
                .as("an upgrade without Origin")
                .isEqualTo(FORBIDDEN);
        assertThat(
                        ChatClient.rejectedStatus(
                                ChatClient.handshake(app.baseUri())
                                        .header("Authorization", "Bearer " + token)
                                        .header("Origin", allowedOrigin)))
                .as("a plain ws:// upgrade")
                .isEqualTo(MOVED_PERMANENTLY);
        assertThat(app.output()).doesNotContain(token);
    }

    /**
     * Starts the packaged service with the container's environment, its secrets as files under
     * target/.
     */
    private static PackagedApp start(String name, KubernetesDeployment deployment) {
        return start(name, deployment, Map.of());
    }

    /** The same, with some variables given other values ({@code replaced}). */
    private static PackagedApp start(
            String name, KubernetesDeployment deployment, Map<String, String> replaced) {
        Path mounts = Path.of("target", "k8s-mounts", name).toAbsolutePath();
        Map<String, String> files = deployment.secretFiles(secrets);
        files.forEach((path, content) -> write(mounts.resolve(path.substring(1)), content));
        Map<String, String> environment = new HashMap<>(deployment.environment(secrets));
        environment.replaceAll(
                (variable, value) ->
                        files.containsKey(value)
                                ? mounts.resolve(value.substring(1)).toString()
                                : value);
        environment.putAll(replaced);
        return PackagedApp.startWithEnvironment(name, environment, deployment.arguments())
                .awaitListening();
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET as the kubelet's HTTPS probe sends it, trusting the mounted certificate. */
    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().sslContext(TestCertificates.trustingIt()).build();
        return client.send(
                HttpRequest.newBuilder(uri).timeout(ChatClient.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
