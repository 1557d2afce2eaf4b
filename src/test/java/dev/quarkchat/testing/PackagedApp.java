package dev.quarkchat.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged production build run as a separate process, the way an operator runs it: the jar
 * ({@code target/quarkus-app/quarkus-run.jar}), or with {@code -Dnative} the native executable. Its
 * console output is kept in a file under {@code target/}.
 */
public final class PackagedApp implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    /**
     * Failsafe passes both: with {@code -Dnative} the tests run the native executable instead of
     * the jar.
     */
    private static final boolean NATIVE = Boolean.getBoolean("quarkus.native.enabled");

    private static final String NATIVE_EXECUTABLE = System.getProperty("native.image.path");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path output;
    private final int port;
    private final int securePort;

    private PackagedApp(Process process, Path output, int port, int securePort) {
        this.process = process;
        this.output = output;
        this.port = port;
        this.securePort = securePort;
    }

    /** Starts the jar (or native executable) on a free port with the given system properties. */
    public static PackagedApp start(String name, Map<String, String> properties) {
        int port = LocalProcess.freePort();
        List<String> options = new ArrayList<>();
        options.add("-Dquarkus.http.port=" + port);
        properties.forEach((key, value) -> options.add("-D" + key + "=" + value));
        return launch(name, options, null, port, -1);
    }

    /**
     * Starts it the way a container runtime does: with exactly this environment, nothing inherited
     * from the test's own, and these arguments (a Deployment's {@code args}). Only the two ports
     * are added, as {@code QUARKUS_HTTP_PORT} and {@code QUARKUS_HTTP_SSL_PORT} where the
     * environment has none, so that runs never collide on 8080 and 8443.
     */
    public static PackagedApp startWithEnvironment(
            String name, Map<String, String> environment, List<String> arguments) {
        int port = LocalProcess.freePort();
        int securePort = LocalProcess.freePort();
        Map<String, String> complete = new HashMap<>(environment);
        complete.putIfAbsent("QUARKUS_HTTP_PORT", Integer.toString(port));
        complete.putIfAbsent("QUARKUS_HTTP_SSL_PORT", Integer.toString(securePort));
        return launch(name, arguments, complete, port, securePort);
    }

    private static PackagedApp launch(
            String name,
            List<String> options,
            Map<String, String> environment,
            int port,
            int securePort) {
        List<String> command = new ArrayList<>();
        command.add(
                NATIVE
                        ? Path.of(NATIVE_EXECUTABLE).toAbsolutePath().toString()
                        : Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        if (!NATIVE) {
            command.add("-jar");
            command.add(JAR.toString());
        }
        Path output = Path.of("target", "packaged-app-" + name + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        try {
            return new PackagedApp(builder.start(), output, port, securePort);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start "
                            + command.get(0)
                            + " (run ./mvnw verify, which packages it first)",
                    e);
        }
    }

    /** Waits until the HTTP server listens; fails early if the process dies. */
    public PackagedApp awaitListening() {
        await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            if (!process.isAlive()) {
                                throw new AssertionError(
                                        "The service exited with "
                                                + process.exitValue()
                                                + ":\n"
                                                + output());
                            }
                            return output().contains("Listening on");
                        });
        return this;
    }

    /** Waits until its readiness probe answers {@code status}. */
    public PackagedApp awaitReadiness(int status) {
        Readiness.await(baseUri(), status);
        return this;
    }

    /**
     * Waits for the service to give up starting, and returns its exit code; fails as soon as it
     * listens instead.
     */
    public int awaitRefusalToStart() {
        await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            if (output().contains("Listening on")) {
                                throw new AssertionError("The service started:\n" + output());
                            }
                            return !process.isAlive();
                        });
        return process.exitValue();
    }

    /** Sends SIGTERM, as Kubernetes does to stop a pod, without waiting for the process to end. */
    public void terminate() {
        process.destroy();
    }

    /**
     * Kills the process at once (SIGKILL), as a crash or an OOM kill does: it cleans nothing up.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(
                    "The service did not exit within " + START_TIMEOUT + ":\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUri() {
        return URI.create("http://localhost:" + port + "/");
    }

    /** The TLS port's address; only for a service started with {@link #startWithEnvironment}. */
    public URI secureBaseUri() {
        if (securePort < 0) {
            throw new IllegalStateException("started without a TLS port of its own");
        }
        return URI.create("https://localhost:" + securePort + "/");
    }

    @Override
    public void close() {
        LocalProcess.stop(process, START_TIMEOUT);
    }
}
