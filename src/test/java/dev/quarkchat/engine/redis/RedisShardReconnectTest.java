package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A shard's connect can fail half-way, after its command connection is open: that connection goes
 * back to the client's pool, which closes it much later. Its closing must not take down the shard
 * that has reconnected since.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class RedisShardReconnectTest {

    private static final Duration SETTLE = Duration.ofMillis(500);

    @Inject Vertx vertx;

    @Test
    void aConnectionGivenUpEarlierDoesNotTakeTheShardDown() throws Exception {
        String uri = RedisBackplane.Server.redis().uri();
        Redis firstPool = client(uri);
        Redis secondPool = client(uri);
        Redis nothingThere = client("redis://127.0.0.1:" + freePort());
        AtomicLong givenUpId = new AtomicLong();
        Queue<Supplier<Uni<RedisConnection>>> connects =
                new ArrayDeque<>(
                        List.of(
                                () -> connectNoting(firstPool, givenUpId),
                                nothingThere::connect,
                                secondPool::connect,
                                secondPool::connect));
        List<Throwable> losses = new CopyOnWriteArrayList<>();
        List<RedisShard> connected = new CopyOnWriteArrayList<>();
        RedisShard shard =
                new RedisShard(
                        "reconnect",
                        uri,
                        () -> connects.remove().get(),
                        PubSub.CLASSIC,
                        Duration.ofSeconds(2),
                        new RedisShard.Listener() {
                            @Override
                            public void published(String channel, String payload) {}

                            @Override
                            public void connected(RedisShard which) {
                                connected.add(which);
                            }

                            @Override
                            public void lost(RedisShard which, Throwable failure) {
                                losses.add(failure);
                            }
                        });
        try {
            shard.connect(List.of("reconnect-channel"));
            await().atMost(ChatClient.TIMEOUT).until(() -> !shard.isConnecting());
            assertThat(shard.isUp()).as("the first connect failed half-way").isFalse();

            shard.connect(List.of("reconnect-channel"));
            await().atMost(ChatClient.TIMEOUT).until(shard::isUp);
            assertThat(connected).containsExactly(shard);

            Redis adminClient = client(uri);
            adminClient
                    .send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(givenUpId.get()))
                    .await()
                    .atMost(ChatClient.TIMEOUT);
            adminClient.close();

            await().during(SETTLE).atMost(SETTLE.multipliedBy(4)).until(shard::isUp);
            assertThat(losses).as("failures that took the shard down").isEmpty();
        } finally {
            shard.close();
            firstPool.close();
            secondPool.close();
            nothingThere.close();
        }
    }

    /** Connects, and notes the connection's id on the server. */
    private static Uni<RedisConnection> connectNoting(Redis pool, AtomicLong id) {
        return pool.connect()
                .call(
                        connection ->
                                connection
                                        .send(Request.cmd(Command.CLIENT).arg("ID"))
                                        .invoke(reply -> id.set(reply.toLong())));
    }

    private Redis client(String uri) {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(uri));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
