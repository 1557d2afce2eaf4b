package dev.quarkchat.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.PostgresHistoryWithRedis;
import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * {@link DurableRecoveryTest} with Redis carrying the messages: Redis restarting empty loses
 * nothing, since PostgreSQL, not Redis, holds the rooms' sequences.
 */
@QuarkusTest
@TestProfile(SharedDurableRecoveryTest.SharedSmallWindow.class)
class SharedDurableRecoveryTest extends DurableRecoveryTest {

    /** The same settings, with Redis. */
    public static class SharedSmallWindow extends PostgresHistoryWithRedis {
        @Override
        public Map<String, String> getConfigOverrides() {
            return SmallWindow.settings();
        }
    }

    @Test
    void redisRestartingEmptyKeepsEveryRoomsEpochAndSeq() {
        Metrics metrics = Metrics.ofTestedService();
        try (ChatClient ann = connect("x-ann").join("durable-x");
                ChatClient bob = connect("x-bob").join("durable-x")) {
            sendNumbered(ann, "durable-x", "x", 3);
            bob.awaitMessage("x-3");
            String epoch = joinedFrame(bob, "durable-x").getString("epoch");

            RedisBackplane.Server.redis().stop();
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value("chat_backplane_up{shard=\"0-16383\"}") == 0);
            RedisBackplane.Server.redis().restart();
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value("chat_backplane_up{shard=\"0-16383\"}") == 1);

            ann.send("durable-x", "after", "after");
            assertThat(bob.awaitMessage("after").getLong("seq")).isEqualTo(4L);
            assertThat(bob.framesOfType("joined"))
                    .filteredOn(frame -> "durable-x".equals(frame.getString("room")))
                    .extracting(frame -> frame.getString("epoch"))
                    .containsOnly(epoch);

            try (ChatClient cat = connect("x-cat")) {
                cat.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", "durable-x")
                                .put("since", 0)
                                .put("epoch", epoch));
                cat.awaitMessage("after");
                assertThat(joinedFrame(cat, "durable-x").getBoolean("recovered")).isTrue();
                assertThat(seqs(cat, "durable-x")).containsExactly(1L, 2L, 3L, 4L);
            }
        }
    }
}
