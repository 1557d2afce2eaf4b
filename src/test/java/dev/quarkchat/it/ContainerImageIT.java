package dev.quarkchat.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.LocalProcess;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.OperatorKeys;

/**
 * The container image of the native executable, built from scratch with buildah
 * (src/main/docker/build-native-image.sh) and run with podman: authenticate, chat, metrics, and SIGTERM
 * answered with close 1001 to every client. Runs in the native build ({@code ./mvnw verify -Dnative}).
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

    @BeforeAll
    static void buildAndStartTheImage() throws Exception {
        run("src/main/docker/build-native-image.sh", IMAGE);
        int port = LocalProcess.freePort();
        Path keys = Path.of("target", "operator-keys").toAbsolutePath();
        new OperatorKeys().start();
        run("podman",
                // This sandbox's hybrid cgroups defeat crun; runc copes. Host networking spares a CNI set-up.
                "--runtime", "runc", "run", "--detach", "--name", CONTAINER, "--network", "host",
                "--ulimit", "nofile=" + ULIMIT, "--ulimit", "nproc=" + ULIMIT,
                "--read-only", "--tmpfs", "/tmp",
                "--volume", keys + ":/keys:ro",
                "--env", "MP_JWT_VERIFY_PUBLICKEY_LOCATION=/keys/public-key.pem",
                "--env", "MP_JWT_VERIFY_ISSUER=" + OperatorKeys.ISSUER,
                "--env", "QUARKUS_HTTP_PORT=" + port,
                "--env", "CHAT_ALLOW_MISSING_ORIGIN=true",
                "--env", "QUARKUS_HTTP_INSECURE_REQUESTS=enabled",
                IMAGE);
        base = URI.create("http://localhost:" + port + "/");
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> given().baseUri(base.toString()).get("/q/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void removeTheContainer() throws Exception {
        run("podman", "rm", "--force", "--ignore", CONTAINER);
    }

    @Test
    void chatMetricsAndAGoingAwayOnSigterm() throws Exception {
        try (ChatClient ann = ChatClient.connect(base, OperatorKeys.token("pod-ann")).join("in-a-box");
                ChatClient ben = ChatClient.connect(base, OperatorKeys.token("pod-ben")).join("in-a-box")) {
            ann.send("in-a-box", "hello from the container", "box-1");
            assertThat(ben.awaitMessage("box-1").getString("from")).isEqualTo("pod-ann");
            assertThat(Metrics.at(base.toString()).value("chat_connections_active")).isEqualTo(2);

            run("podman", "kill", "--signal", "TERM", CONTAINER);

            assertThat(ann.awaitClose()).isEqualTo(1001);
            assertThat(ben.awaitClose()).isEqualTo(1001);
            assertThat(run("podman", "wait", CONTAINER).trim()).as("exit code").isIn("0", "143");
        }
        assertThat(run("podman", "logs", CONTAINER)).contains("native (powered by Quarkus").contains("stopped in")
                .doesNotContain("Bearer ");
    }

    /** Runs a command to its end and returns its output; fails on a non-zero exit. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + text).isZero();
        return text;
    }
}
