package dev.quarkchat.testing;

import static org.awaitility.Awaitility.await;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real {@code redis-server} (the binary shipped in the {@code embedded-redis} artifact) on a free
 * loopback port. It keeps nothing on disk, so a restart loses every key, as a Redis without
 * persistence does.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private final Path directory;
    private RedisServer server;

    private EmbeddedRedis(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    /** Starts a server on a free port and waits until it accepts connections. */
    public static EmbeddedRedis start() {
        try {
            Path directory = Files.createDirectories(Path.of("target", "redis"));
            EmbeddedRedis redis = new EmbeddedRedis(LocalProcess.freePort(), directory);
            redis.restart();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it again on the same port, empty, after {@link #stop()}. */
    public void restart() {
        try {
            server =
                    RedisServer.newRedisServer()
                            .port(port)
                            .bind("127.0.0.1")
                            .setting("save \"\"")
                            .setting("appendonly no")
                            .setting("dir " + directory.toAbsolutePath())
                            .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(ChatClient.TIMEOUT)
                .ignoreExceptions()
                .until(
                        () -> {
                            new Socket(InetAddress.getLoopbackAddress(), port).close();
                            return true;
                        });
    }

    /** Stops the server; clients lose their connections. */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of {@code quarkus.redis.hosts} that reaches this server. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (server != null && server.isActive()) {
            stop();
        }
    }
}
