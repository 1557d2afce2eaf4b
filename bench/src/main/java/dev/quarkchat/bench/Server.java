package dev.quarkchat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server under test, run as its own process pinned to one core (and held to the run's CPU quota):
 * the packaged quarkchat jar, the raw Vert.x broadcast server, or the Node {@code ws} server.
 */
final class Server implements AutoCloseable {

    /** The servers, and how the generator talks to each. */
    enum Kind {
        QUARKCHAT("quarkchat", "/chat", true, 0),
        QUARKCHAT_NATIVE("quarkchat native", "/chat", true, 1),
        VERTX("raw Vert.x", "/", false, 2),
        NODE_WS("Node ws", "/", false, 3),
        /** The jar with {@code chat.history.store=postgres}, on the run's PostgreSQL. */
        QUARKCHAT_POSTGRES("quarkchat, PostgreSQL store", "/chat", true, 4);

        final String label;
        final String path;

        /**
         * Speaks the chat's JSON protocol with a token; the references broadcast raw text to
         * anyone.
         */
        final boolean chatProtocol;

        /** Its port is the base port plus this: each server has its own. */
        final int portOffset;

        Kind(String label, String path, boolean chatProtocol, int portOffset) {
            this.label = label;
            this.path = path;
            this.chatProtocol = chatProtocol;
            this.portOffset = portOffset;
        }
    }

    private static final long START_TIMEOUT_MILLIS = 60_000;
    private static final long POLL_MILLIS = 50;
    private static final String SERVER_CORE = "0";

    /** Servers started by this run: each writes its own log. */
    private static final AtomicInteger STARTED = new AtomicInteger();

    final Kind kind;
    final int port;
    private final Process process;
    private final Path log;
    private final Optional<Database> database;

    private Server(Kind kind, int port, Process process, Path log, Optional<Database> database) {
        this.kind = kind;
        this.port = port;
        this.process = process;
        this.log = log;
        this.database = database;
    }

    /**
     * Starts a server; {@code store} is the database of {@link Kind#QUARKCHAT_POSTGRES} (a fresh
     * one for each server) and its reactive URL; {@code scenarioProperties} are quarkchat settings
     * ({@code property=value}) of the scenario, before the run's own.
     */
    static Server start(
            Kind kind,
            Settings settings,
            Optional<CpuQuota> quota,
            Path publicKey,
            Optional<Store> store,
            List<String> scenarioProperties)
            throws Exception {
        return start(
                kind,
                settings.basePort + kind.portOffset,
                settings.quarkchatJar,
                settings,
                quota,
                publicKey,
                store,
                scenarioProperties);
    }

    /**
     * {@link #start(Kind, Settings, Optional, Path, Optional, List)} on a port of its own, with
     * another build of the jar.
     */
    static Server start(
            Kind kind,
            int port,
            Path quarkchatJar,
            Settings settings,
            Optional<CpuQuota> quota,
            Path publicKey,
            Optional<Store> store,
            List<String> scenarioProperties)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("taskset", "-c", SERVER_CORE));
        switch (kind) {
            case QUARKCHAT, QUARKCHAT_NATIVE, QUARKCHAT_POSTGRES -> {
                if (kind != Kind.QUARKCHAT_NATIVE) {
                    command.addAll(List.of(java(), "-Xmx" + settings.serverHeap));
                    command.addAll(settings.jvmOptions);
                } else {
                    command.addAll(
                            List.of(
                                    settings.quarkchatNative.toString(),
                                    "-Xmx" + settings.serverHeap));
                }
                command.addAll(
                        List.of(
                                "-Dquarkus.http.port=" + port,
                                "-Dmp.jwt.verify.publickey.location=" + publicKey.toAbsolutePath(),
                                "-Dmp.jwt.verify.issuer=" + Tokens.ISSUER,
                                "-Dquarkus.http.insecure-requests=enabled",
                                "-Dchat.allow-missing-origin=true",
                                // The generator's senders are machines: no per-person limits.
                                "-Dchat.rate-limit.messages-per-second=1000000",
                                "-Dchat.rate-limit.burst=1000000",
                                "-Dchat.handshake-rate-limit.per-second=1000000",
                                "-Dchat.handshake-rate-limit.burst=1000000",
                                // One address opens thousands of connections at once on a server
                                // held to its quota.
                                "-Dchat.handshake.max-pending-per-address=1000000",
                                "-Dchat.handshake.head-timeout=10m",
                                "-Dquarkus.log.level=WARN"));
                if (kind == Kind.QUARKCHAT_POSTGRES) {
                    Store database = store.orElseThrow();
                    command.addAll(
                            List.of(
                                    "-Dchat.history.store=postgres",
                                    "-Dquarkus.datasource.reactive.url=" + database.url(),
                                    "-Dquarkus.datasource.username=" + Database.USER));
                }
                scenarioProperties.forEach(property -> command.add("-D" + property));
                settings.serverProperties.forEach(property -> command.add("-D" + property));
                if (kind != Kind.QUARKCHAT_NATIVE) {
                    command.addAll(List.of("-jar", quarkchatJar.toString()));
                }
            }
            case VERTX -> {
                command.addAll(List.of(java(), "-Xmx" + settings.serverHeap));
                command.addAll(settings.jvmOptions);
                command.addAll(
                        List.of(
                                "-cp",
                                System.getProperty("java.class.path"),
                                VertxBroadcastServer.class.getName(),
                                Integer.toString(port)));
            }
            case NODE_WS ->
                    command.addAll(
                            List.of(
                                    "node",
                                    settings.nodeServer.toString(),
                                    Integer.toString(port)));
        }
        Path log =
                Path.of(
                        "target",
                        "server-"
                                + kind.name().toLowerCase(Locale.ROOT)
                                + "-"
                                + STARTED.incrementAndGet()
                                + ".log");
        Files.createDirectories(log.getParent());
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (quota.isPresent()) {
            quota.get().add(process.pid());
        }
        Server server = new Server(kind, port, process, log, store.map(Store::database));
        server.awaitListening();
        return server;
    }

    /** A database of the run's PostgreSQL, and its reactive URL. */
    record Store(Database database, String url) {}

    long pid() {
        return process.pid();
    }

    /** CPU seconds the server's PostgreSQL has used, if it has one: 0 if not. */
    double databaseCpuSeconds() {
        return database.map(Database::cpuSeconds).orElse(0.0);
    }

    private void awaitListening() throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind.label + " exited: " + Files.readString(log));
            }
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        throw new IllegalStateException(kind.label + " did not listen on " + port + " in time");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            // Kept for the caller: a close() that throws it would hide it in try-with-resources.
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
