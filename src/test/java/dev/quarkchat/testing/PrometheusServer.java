package dev.quarkchat.testing;

import static io.restassured.RestAssured.given;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) started for a test: it scrapes one
 * target every second, evaluates the given rule file every second, and is queried through its HTTP
 * API.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final String JOB = "quarkchat";
    private static final String INSTALL_HINT =
            "not found. Prometheus is not installed; on Debian or Ubuntu: "
                    + "sudo apt-get install prometheus (or pass -Dprometheus.binary=... and -Dpromtool.binary=...). "
                    + "The e2e profile (./mvnw verify -Pe2e) needs it; .ci/run installs it.";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final String baseUri;
    private final Path log;

    private PrometheusServer(Process process, String baseUri, Path log) {
        this.process = process;
        this.baseUri = baseUri;
        this.log = log;
    }

    /**
     * Starts Prometheus scraping {@code /q/metrics} of {@code target} and evaluating {@code rules}.
     */
    public static PrometheusServer start(URI target, Path rules) throws IOException {
        Path binary = tool("prometheus");
        Path home = Files.createDirectories(Path.of("target", "e2e-prometheus")).toAbsolutePath();
        Path data = Files.createTempDirectory(home, "data-");
        Path config = home.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  evaluation_interval: 1s",
                        "rule_files:",
                        "  - " + rules.toAbsolutePath(),
                        "scrape_configs:",
                        "  - job_name: " + JOB,
                        "    metrics_path: /q/metrics",
                        "    static_configs:",
                        "      - targets: ['" + target.getHost() + ":" + target.getPort() + "']",
                        ""));
        int port = LocalProcess.freePort();
        Path log = home.resolve("prometheus.log");
        Process process =
                new ProcessBuilder(
                                binary.toString(),
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + data,
                                "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, log);
        server.awaitReady();
        return server;
    }

    /**
     * Runs an instant query and returns its result vector (empty if the expression has no data).
     */
    public JsonArray query(String promql) {
        String body =
                given().baseUri(baseUri)
                        .queryParam("query", promql)
                        .when()
                        .get("/api/v1/query")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        return new JsonObject(body).getJsonObject("data").getJsonArray("result");
    }

    /** Waits until the expression returns data, and returns it. */
    public JsonArray awaitData(String promql) {
        return await().alias("data for " + promql)
                .atMost(QUERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> query(promql), result -> !result.isEmpty());
    }

    /** Waits until the expression's first sample is at least {@code minimum}. */
    public void awaitAtLeast(String promql, double minimum) {
        await().alias(promql + " >= " + minimum)
                .atMost(QUERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> firstValue(query(promql)) >= minimum);
    }

    /**
     * The alerting and recording rules Prometheus has loaded, as {@code /api/v1/rules} reports
     * them.
     */
    public List<JsonObject> loadedRules() {
        String body =
                given().baseUri(baseUri)
                        .when()
                        .get("/api/v1/rules")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        return new JsonObject(body)
                .getJsonObject("data").getJsonArray("groups").stream()
                        .flatMap(group -> ((JsonObject) group).getJsonArray("rules").stream())
                        .map(JsonObject.class::cast)
                        .toList();
    }

    @Override
    public void close() {
        LocalProcess.stop(process, START_TIMEOUT);
    }

    private void awaitReady() {
        await().alias("Prometheus ready (log: " + log + ")")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            if (!process.isAlive()) {
                                throw new AssertionError(
                                        "Prometheus exited: " + Files.readString(log));
                            }
                            return given().baseUri(baseUri).when().get("/-/ready").statusCode()
                                    == 200;
                        });
    }

    private static double firstValue(JsonArray result) {
        return result.isEmpty()
                ? Double.NEGATIVE_INFINITY
                : Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
    }

    /**
     * A program of the Prometheus package ({@code prometheus}, {@code promtool}): from {@code
     * -D<name>.binary}, else from the PATH; fails saying how to install it.
     */
    public static Path tool(String name) {
        String configured = System.getProperty(name + ".binary");
        Optional<Path> found =
                configured != null
                        ? Optional.of(Path.of(configured)).filter(Files::isExecutable)
                        : Stream.of(
                                        System.getenv()
                                                .getOrDefault("PATH", "")
                                                .split(File.pathSeparator))
                                .map(directory -> Path.of(directory, name))
                                .filter(Files::isExecutable)
                                .findFirst();
        return found.orElseThrow(() -> new AssertionError(name + ": " + INSTALL_HINT));
    }
}
