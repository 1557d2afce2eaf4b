package dev.quarkchat.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Redis behind Sentinel on loopback: Debian's {@code redis-server} 7 as a primary, a replica
 * of it, and one sentinel that watches them as {@value #MASTER_NAME}, declares the primary down
 * after a second and promotes the replica. Nothing is kept on disk but the sentinel's own file.
 */
public final class RedisSentinel implements AutoCloseable {

    public static final String MASTER_NAME = "mymaster";

    private static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Path directory;
    private final int primaryPort = LocalProcess.freePort();
    private final int replicaPort = LocalProcess.freePort();
    private final int sentinelPort = LocalProcess.freePort();
    private final List<Process> processes = new ArrayList<>();
    private Process primary;

    private RedisSentinel(Path directory) {
        this.directory = directory;
    }

    /** Starts the primary, its replica and the sentinel, and waits until the sentinel sees both. */
    public static RedisSentinel start() {
        Path directory =
                Path.of("target", "redis-sentinel", String.valueOf(ProcessHandle.current().pid()))
                        .toAbsolutePath();
        RedisSentinel sentinel = new RedisSentinel(directory);
        sentinel.primary = sentinel.server(sentinel.primaryPort);
        sentinel.server(
                sentinel.replicaPort,
                "--replicaof",
                "127.0.0.1",
                String.valueOf(sentinel.primaryPort));
        await().atMost(ChatClient.TIMEOUT)
                .until(
                        () ->
                                RedisCluster.cli(sentinel.replicaPort, "INFO", "replication")
                                        .contains("master_link_status:up"));
        sentinel.startSentinel();
        return sentinel;
    }

    /** The settings of an application whose rooms are shared through this Redis, via Sentinel. */
    public Map<String, String> settings() {
        return Map.of(
                "chat.backplane",
                "redis",
                "quarkus.redis.hosts",
                "redis://127.0.0.1:" + sentinelPort,
                "quarkus.redis.client-type",
                "sentinel",
                "quarkus.redis.master-name",
                MASTER_NAME,
                "chat.backplane.redis.check-interval",
                "200ms");
    }

    /** Kills the primary (SIGKILL), and waits until the sentinel has promoted the replica. */
    public void killPrimaryAndAwaitFailover() {
        primary.destroyForcibly();
        try {
            primary.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        await().atMost(ChatClient.TIMEOUT.multipliedBy(3))
                .until(
                        () ->
                                RedisCluster.cli(
                                                sentinelPort,
                                                "SENTINEL",
                                                "get-master-addr-by-name",
                                                MASTER_NAME)
                                        .contains(String.valueOf(replicaPort)));
        await().atMost(ChatClient.TIMEOUT)
                .until(() -> RedisCluster.cli(replicaPort, "ROLE").startsWith("master"));
    }

    private void startSentinel() {
        Path config = directory.resolve("sentinel.conf");
        try {
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "port " + sentinelPort,
                            "bind 127.0.0.1",
                            "dir " + directory,
                            "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primaryPort + " 1",
                            "sentinel down-after-milliseconds "
                                    + MASTER_NAME
                                    + " "
                                    + DOWN_AFTER.toMillis(),
                            "sentinel failover-timeout " + MASTER_NAME + " 10000",
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch(
                List.of("redis-server", config.toString(), "--sentinel"),
                directory.resolve("sentinel.log"));
        await().atMost(ChatClient.TIMEOUT)
                .ignoreExceptions()
                .until(
                        () ->
                                RedisCluster.cli(sentinelPort, "SENTINEL", "replicas", MASTER_NAME)
                                        .contains(String.valueOf(replicaPort)));
    }

    private Process server(int port, String... more) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "redis-server",
                                "--port",
                                String.valueOf(port),
                                "--bind",
                                "127.0.0.1",
                                "--dir",
                                directory.toString(),
                                "--dbfilename",
                                port + ".rdb",
                                "--save",
                                "",
                                "--appendonly",
                                "no"));
        command.addAll(List.of(more));
        Process process = launch(command, directory.resolve(port + ".log"));
        await().atMost(ChatClient.TIMEOUT)
                .ignoreExceptions()
                .until(() -> RedisCluster.cli(port, "PING").equals("PONG"));
        return process;
    }

    private Process launch(List<String> command, Path log) {
        try {
            Files.createDirectories(directory);
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start redis-server (apt-get install redis-server)", e);
        }
    }

    @Override
    public void close() {
        processes.forEach(process -> LocalProcess.stop(process, STOP_GRACE));
    }
}
