package dev.quarkchat.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged production build run as a separate process, the way an operator runs it: the jar
 * ({@code target/quarkus-app/quarkus-run.jar}), or with {@code -Dnative} the native executable. Its console
 * output is kept in a file under {@code target/}.
 */
public final class PackagedApp implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    /** Failsafe passes both: with {@code -Dnative} the tests run the native executable instead of the jar. */
    private static final boolean NATIVE = Boolean.getBoolean("quarkus.native.enabled");
    private static final String NATIVE_EXECUTABLE = System.getProperty("native.image.path");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path output;
    private final int port;

    private PackagedApp(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** Starts the jar on a free port with the given system properties. */
    public static PackagedApp start(String name, Map<String, String> properties) {
        int port = LocalProcess.freePort();
        List<String> command = new ArrayList<>();
        if (NATIVE) {
            command.add(Path.of(NATIVE_EXECUTABLE).toAbsolutePath().toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (!NATIVE) {
            command.add("-jar");
            command.add(JAR.toString());
        }
        Path output = Path.of("target", "packaged-app-" + name + ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new PackagedApp(process, output, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.get(0) + " (run ./mvnw verify, which packages it first)", e);
        }
    }

    /** Waits until the HTTP server listens; fails early if the process dies. */
    public PackagedApp awaitListening() {
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("The service exited with " + process.exitValue() + ":\n" + output());
            }
            return output().contains("Listening on");
        });
        return this;
    }

    /** Sends SIGTERM, as Kubernetes does to stop a pod, without waiting for the process to end. */
    public void terminate() {
        process.destroy();
    }

    /** Kills the process at once (SIGKILL), as a crash or an OOM kill does: it cleans nothing up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("The service did not exit within " + START_TIMEOUT + ":\n" + output());
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

    @Override
    public void close() throws InterruptedException {
        LocalProcess.stop(process, START_TIMEOUT);
    }

}
