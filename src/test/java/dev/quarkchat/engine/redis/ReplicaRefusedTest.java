package dev.quarkchat.engine.redis;

import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.EmbeddedRedis;
import dev.quarkchat.testing.Readiness;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Redis that is a replica is no backplane: the instance writes only to a primary. It stays
 * unready, and the connections it opened to find out are closed each time, not left open one per
 * check.
 */
@QuarkusTest
@TestProfile(ReplicaRefusedTest.OnAReplica.class)
class ReplicaRefusedTest {

    /** Checks every 100 ms: twenty of them over the two seconds watched. */
    public static class OnAReplica implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Servers.class));
        }
    }

    /** A primary, and a replica of it that the application is given. */
    public static class Servers implements QuarkusTestResourceLifecycleManager {

        static EmbeddedRedis primary;
        static EmbeddedRedis replica;

        @Override
        public Map<String, String> start() {
            primary = EmbeddedRedis.start();
            replica = EmbeddedRedis.start();
            command(replica, "REPLICAOF", "127.0.0.1", String.valueOf(port(primary)));
            return Map.of(
                    "chat.backplane",
                    "redis",
                    "quarkus.redis.hosts",
                    replica.uri(),
                    "chat.backplane.redis.check-interval",
                    "100ms");
        }

        @Override
        public void stop() {
            replica.close();
            primary.close();
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void theInstanceStaysUnreadyAndLeavesNoConnectionOpen() {
        Readiness.await(base, 503);
        await().during(Duration.ofSeconds(2))
                .atMost(ChatClient.TIMEOUT)
                .until(() -> connectedClients(Servers.replica) <= 3);
    }

    /** Clients connected to the server, besides the one asking and the replication link. */
    private static int connectedClients(EmbeddedRedis redis) {
        String list = command(redis, "CLIENT", "LIST");
        return (int)
                        list.lines()
                                .filter(line -> line.startsWith("id="))
                                .filter(line -> !line.contains("flags=M"))
                                .count()
                - 1;
    }

    private static int port(EmbeddedRedis redis) {
        return URI.create(redis.uri()).getPort();
    }

    /** One command over a socket of its own, in RESP; the reply as text. */
    private static String command(EmbeddedRedis redis, String... words) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port(redis))) {
            StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
            for (String word : words) {
                request.append('$')
                        .append(word.length())
                        .append("\r\n")
                        .append(word)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.setSoTimeout((int) ChatClient.TIMEOUT.toMillis());
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            int read = in.read(buffer);
            return new String(buffer, 0, Math.max(read, 0), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
