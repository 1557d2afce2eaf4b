package dev.quarkchat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Redis of a scale-out run, pinned to the servers' core: one {@code redis-server} (Debian's,
 * 7), or a Redis Cluster of {@code shards} primaries, each serving an equal range of slots. Nothing
 * is kept on disk.
 */
final class RedisServers implements AutoCloseable {

    private static final String CORE = "0";
    private static final int SLOTS = 16384;
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 50;

    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final boolean cluster;

    private RedisServers(boolean cluster) {
        this.cluster = cluster;
    }

    /** One Redis for one shard, else a cluster of that many primaries. */
    static RedisServers start(int shards, int firstPort) throws Exception {
        RedisServers servers = new RedisServers(shards > 1);
        try {
            servers.startNodes(shards, firstPort);
            return servers;
        } catch (Exception | Error failure) {
            servers.close();
            throw failure;
        }
    }

    private void startNodes(int shards, int firstPort) throws Exception {
        for (int i = 0; i < shards; i++) {
            startNode(firstPort + i);
        }
        if (!cluster) {
            return;
        }
        // By hand rather than with redis-cli --cluster create, which wants three primaries.
        for (int i = 0; i < shards; i++) {
            int port = ports.get(i);
            cli(
                    port,
                    "CLUSTER",
                    "ADDSLOTSRANGE",
                    String.valueOf(SLOTS * i / shards),
                    String.valueOf(SLOTS * (i + 1) / shards - 1));
            cli(ports.get(0), "CLUSTER", "MEET", "127.0.0.1", String.valueOf(port));
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        for (int port : ports) {
            while (!cli(port, "CLUSTER", "INFO").contains("cluster_state:ok")
                    || cli(port, "CLUSTER", "NODES")
                                    .lines()
                                    .filter(line -> line.contains("connected"))
                                    .count()
                            != shards) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("The Redis Cluster did not come up");
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /** The quarkchat settings that reach these servers. */
    List<String> properties() {
        String hosts =
                ports.stream()
                        .map(port -> "redis://127.0.0.1:" + port)
                        .collect(Collectors.joining(","));
        List<String> properties =
                new ArrayList<>(List.of("chat.backplane=redis", "quarkus.redis.hosts=" + hosts));
        if (cluster) {
            properties.add("quarkus.redis.client-type=cluster");
        }
        return properties;
    }

    /** CPU seconds every node has used. */
    double cpuSeconds() {
        return processes.stream()
                .mapToDouble(process -> ProcessStats.cpuSeconds(process.pid()))
                .sum();
    }

    /**
     * Messages published so far, on every node: what each instance of the global-bus build, which
     * subscribes to every message, received.
     */
    long published() {
        long published = 0;
        for (int port : ports) {
            for (String line : cli(port, "INFO", "commandstats").split("\\r?\\n", -1)) {
                if (line.startsWith("cmdstat_publish:") || line.startsWith("cmdstat_spublish:")) {
                    String calls = line.substring(line.indexOf("calls=") + "calls=".length());
                    published += Long.parseLong(calls.substring(0, calls.indexOf(',')));
                }
            }
        }
        return published;
    }

    private void startNode(int port) throws Exception {
        Path directory = Files.createDirectories(Path.of("target", "redis", String.valueOf(port)));
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "taskset",
                                "-c",
                                CORE,
                                "redis-server",
                                "--port",
                                String.valueOf(port),
                                "--bind",
                                "127.0.0.1",
                                "--dir",
                                directory.toAbsolutePath().toString(),
                                "--save",
                                "",
                                "--appendonly",
                                "no"));
        if (cluster) {
            command.addAll(
                    List.of(
                            "--cluster-enabled", "yes",
                            "--cluster-config-file", "nodes.conf",
                            "--cluster-require-full-coverage", "no"));
        }
        Files.deleteIfExists(directory.resolve("nodes.conf"));
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("redis.log").toFile())
                        .start();
        processes.add(process);
        ports.add(port);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (true) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "redis-server did not start on " + port, notYet);
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    private String cli(int port, String... command) {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
        line.addAll(List.of(command));
        return run(line);
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot run " + command.get(0) + " (apt-get install redis-server)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // Kept for the caller, as Server.close does.
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
