package dev.quarkchat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for the run, on this machine: a new cluster made with {@code
 * initdb} in {@code target/postgres}, started with {@code pg_ctl} on the server's core (so that the
 * chat server and its database share that core, and the generator keeps the other), stopped at the
 * end. Its settings are initdb's defaults (durable commits: {@code fsync} and {@code
 * synchronous_commit} on), with local connections trusted and function statistics on. As root it
 * runs as the {@code postgres} user, which PostgreSQL requires.
 */
final class Database implements AutoCloseable {

    static final String USER = "bench";

    private static final String OS_USER = "postgres";

    private final Path binaries;
    private final Path dataDirectory;
    private final int port;
    private final long postmasterPid;

    private Database(Path binaries, Path dataDirectory, int port, long postmasterPid) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.postmasterPid = postmasterPid;
    }

    /** Makes a new cluster and starts it, pinned to {@code cores}. */
    static Database start(Path binaries, Path dataDirectory, int port, String cores)
            throws Exception {
        Path data = dataDirectory.toAbsolutePath();
        stopLeftOver(binaries, data);
        deleteTree(data);
        Files.createDirectories(data);
        if (isRoot()) {
            run(List.of("chown", OS_USER, data.toString()));
        }
        run(
                asPostgres(
                        List.of(
                                binaries.resolve("initdb").toString(),
                                "--pgdata=" + data,
                                "--username=" + USER,
                                "--auth=trust",
                                "--encoding=UTF8",
                                "--locale=C",
                                "--no-sync")));
        Files.writeString(
                data.resolve("postgresql.conf"),
                String.join(
                        "\n",
                        "",
                        "# The benchmark's: loopback only, its socket in the data directory,",
                        "# per-function statistics (chat_append's calls and time).",
                        "port = " + port,
                        "listen_addresses = '127.0.0.1'",
                        "unix_socket_directories = '" + data + "'",
                        "track_functions = 'pl'",
                        ""),
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        List<String> start = new ArrayList<>(List.of("taskset", "-c", cores));
        start.addAll(
                List.of(
                        binaries.resolve("pg_ctl").toString(),
                        "--pgdata=" + data,
                        "--log=" + data.resolve("server.log"),
                        "--wait",
                        "start"));
        run(asPostgres(start));
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        Database database = new Database(binaries, data, port, pid);
        Runtime.getRuntime().addShutdownHook(new Thread(database::stopQuietly));
        System.out.printf(
                "PostgreSQL (%s) on port %d, pinned to core %s, data in %s%n",
                version(binaries), port, cores, data);
        return database;
    }

    /** Drops the database if it exists and makes it again, empty; returns its reactive URL. */
    String fresh(String name) throws SQLException {
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
        return reactiveUrl(name);
    }

    String reactiveUrl(String name) {
        return "postgresql://127.0.0.1:" + port + "/" + name;
    }

    String jdbcUrl(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    Connection connect(String name) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(name), USER, "");
    }

    /** Calls of a function of the database, and the time spent in them. */
    record FunctionStats(long calls, double totalMillis) {

        FunctionStats minus(FunctionStats earlier) {
            return new FunctionStats(calls - earlier.calls, totalMillis - earlier.totalMillis);
        }
    }

    /**
     * What {@code pg_stat_user_functions} says of a function (zero before its first call): each
     * backend reports when idle, at most a second late.
     */
    FunctionStats functionStats(String database, String function) throws SQLException {
        try (Connection connection = connect(database);
                PreparedStatement query =
                        connection.prepareStatement(
                                "SELECT calls, total_time FROM pg_stat_user_functions"
                                        + " WHERE funcname = ?")) {
            query.setString(1, function);
            try (ResultSet row = query.executeQuery()) {
                return row.next()
                        ? new FunctionStats(row.getLong(1), row.getDouble(2))
                        : new FunctionStats(0, 0);
            }
        }
    }

    /** The number a query of one row and column answers. */
    long count(String database, String sql) throws SQLException {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    int port() {
        return port;
    }

    /**
     * CPU seconds the server has used: the postmaster and every backend, those that have ended
     * included.
     */
    double cpuSeconds() {
        return ProcessStats.cpuSecondsWithChildren(postmasterPid);
    }

    @Override
    public void close() throws IOException {
        try {
            run(asPostgres(pgCtlStop(binaries, dataDirectory)));
        } catch (InterruptedException e) {
            // Kept for the caller: a close() that throws it would hide it in try-with-resources.
            Thread.currentThread().interrupt();
        }
    }

    private void stopQuietly() {
        try {
            if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
                close();
            }
        } catch (Exception e) {
            System.err.println("Could not stop PostgreSQL: " + e);
        }
    }

    /** A cluster a run before this one left running (killed before its shutdown hook ran). */
    private static void stopLeftOver(Path binaries, Path data) throws Exception {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            runAllowingFailure(asPostgres(pgCtlStop(binaries, data)));
        }
    }

    private static List<String> pgCtlStop(Path binaries, Path data) {
        return List.of(
                binaries.resolve("pg_ctl").toString(),
                "--pgdata=" + data,
                "--mode=fast",
                "--wait",
                "stop");
    }

    private static String version(Path binaries) throws Exception {
        return run(List.of(binaries.resolve("postgres").toString(), "--version")).trim();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> asUser = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--"));
        asUser.addAll(command);
        return asUser;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed:" + System.lineSeparator() + output);
        }
        return output;
    }

    private static void runAllowingFailure(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
