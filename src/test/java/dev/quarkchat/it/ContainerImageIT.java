package dev.quarkchat.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.KubernetesDeployment;
import dev.quarkchat.testing.LocalProcess;
import dev.quarkchat.testing.OperatorKeys;
import dev.quarkchat.testing.TestCertificates;
import dev.quarkchat.testing.TestTokens;

import io.smallrye.jwt.build.Jwt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The container image of the native executable, built from scratch with buildah
 * (src/main/docker/build-native-image.sh) and run with podman with the environment, arguments and
 * secret mounts of the Kubernetes Deployment: wss:// with the mounted certificate, an allowed
 * origin, metrics, and SIGTERM answered with close 1001 to every client. Runs in the native build
 * ({@code ./mvnw verify -Dnative}).
 */
@Tag("container")
class ContainerImageIT {

    private static final String IMAGE = "localhost/quarkchat:integration-test";
    private static final String CONTAINER = "quarkchat-smoke-" + ProcessHandle.current().pid();
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** Fewer than this sandbox's own limits: podman may lower rlimits here, never raise them. */
    private static final String ULIMIT = "1024:1024";

    private static URI base;
    private static KeyPair issuerKeys;
    private static Map<String, String> environment;

    @BeforeAll
    static void buildAndStartTheImage() throws Exception {
        run("src/main/docker/build-native-image.sh", IMAGE);
        issuerKeys = TestTokens.newKeyPair();
        TestCertificates.generate();
        Map<String, Map<String, String>> secrets =
                Map.of(
                        "quarkchat-jwt",
                                Map.of(
                                        "public-key.pem",
                                        OperatorKeys.pem(
                                                "PUBLIC KEY", issuerKeys.getPublic().getEncoded())),
                        "quarkchat-tls",
                                Map.of(
                                        "tls.crt",
                                        Files.readString(TestCertificates.CERTIFICATE),
                                        "tls.key",
                                        Files.readString(TestCertificates.PRIVATE_KEY)));
        KubernetesDeployment deployment = KubernetesDeployment.build(Path.of("k8s", "base"));
        environment = new TreeMap<>(deployment.environment(secrets));
        int port = LocalProcess.freePort();
        int securePort = LocalProcess.freePort();
        // Host networking: the ports are the only settings that differ from the Deployment's.
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(securePort));

        List<String> command =
                new ArrayList<>(
                        List.of(
                                "podman",
                                // This sandbox's hybrid cgroups defeat crun; runc copes. Host
                                // networking spares a CNI set-up.
                                "--runtime",
                                "runc",
                                "run",
                                "--detach",
                                "--name",
                                CONTAINER,
                                "--network",
                                "host",
                                "--ulimit",
                                "nofile=" + ULIMIT,
                                "--ulimit",
                                "nproc=" + ULIMIT,
                                "--read-only",
                                "--tmpfs",
                                "/tmp"));
        // Each secret volume at the Deployment's mount path, as the kubelet mounts it.
        Path mounts = Path.of("target", "container-mounts").toAbsolutePath();
        for (Map.Entry<String, String> file : deployment.secretFiles(secrets).entrySet()) {
            Path local = mounts.resolve(file.getKey().substring(1));
            Files.createDirectories(local.getParent());
            Files.writeString(local, file.getValue());
            command.addAll(List.of("--volume", local + ":" + file.getKey() + ":ro"));
        }
        environment.forEach((name, value) -> command.addAll(List.of("--env", name + "=" + value)));
        command.add(IMAGE);
        command.addAll(deployment.arguments());
        run(command.toArray(String[]::new));

        base = URI.create("https://localhost:" + securePort + "/");
        await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> get("/q/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void removeTheContainer() throws Exception {
        run("podman", "rm", "--force", "--ignore", CONTAINER);
    }

    @Test
    void chatMetricsAndAGoingAwayOnSigterm() throws Exception {
        String origin = environment.get("CHAT_ALLOWED_ORIGINS").split(",", -1)[0];
        try (ChatClient ann = connect("pod-ann", origin).join("in-a-box");
                ChatClient ben = connect("pod-ben", origin).join("in-a-box")) {
            ann.send("in-a-box", "hello from the container", "box-1");
            assertThat(ben.awaitMessage("box-1").getString("from")).isEqualTo("pod-ann");
            assertThat(get("/q/metrics").body()).contains("chat_connections_active 2.0");

            run("podman", "kill", "--signal", "TERM", CONTAINER);

            assertThat(ann.awaitClose()).isEqualTo(1001);
            assertThat(ben.awaitClose()).isEqualTo(1001);
            assertThat(run("podman", "wait", CONTAINER).trim()).as("exit code").isIn("0", "143");
        }
        assertThat(run("podman", "logs", CONTAINER))
                .contains("native (powered by Quarkus")
                .contains("stopped in")
                .doesNotContain("Bearer ");
    }

    /** A browser-like client of the allowed origin, over wss:// with the mounted certificate. */
    private static ChatClient connect(String user, String origin) {
        String token =
                Jwt.upn(user)
                        .issuer(environment.get("MP_JWT_VERIFY_ISSUER"))
                        .expiresIn(600)
                        .sign(issuerKeys.getPrivate());
        ChatClient client =
                ChatClient.open(
                        ChatClient.handshake(base)
                                .secure(TestCertificates.trustingIt())
                                .header("Authorization", "Bearer " + token)
                                .header("Origin", origin));
        client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
        return client;
    }

    /** A GET over HTTPS, as the kubelet's probes and Prometheus send it. */
    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().sslContext(TestCertificates.trustingIt()).build();
        return client.send(
                HttpRequest.newBuilder(base.resolve(path)).timeout(ChatClient.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Runs a command to its end and returns its output; fails on a non-zero exit. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .as(String.join(" ", command))
                .isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + text).isZero();
        return text;
    }
}
