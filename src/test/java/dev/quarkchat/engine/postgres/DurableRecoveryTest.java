package dev.quarkchat.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.room.RecoveryRules;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * The recovery rules hold with the history in PostgreSQL, where a room's epoch and seq outlive its
 * members and a recovery reaches past the memory window, up to {@code
 * chat.history.postgres.max-recovery} messages.
 */
@QuarkusTest
@TestProfile(DurableRecoveryTest.SmallWindow.class)
class DurableRecoveryTest extends RecoveryRules {

    static final int MEMORY_WINDOW = 10;

    /**
     * A memory window far below what recovery reaches, and a recovery limit the rules' "no longer
     * held" case goes past.
     */
    public static class SmallWindow extends PostgresHistory {
        @Override
        public Map<String, String> getConfigOverrides() {
            return settings();
        }

        static Map<String, String> settings() {
            return Map.of(
                    "chat.history.size",
                    Integer.toString(MEMORY_WINDOW),
                    "chat.history.postgres.max-recovery",
                    "100");
        }
    }

    @Test
    void aRoomThatEmptiedKeepsItsEpochAndSeq() {
        try (ChatClient ann = connect("k-ann").join("durable-a")) {
            sendNumbered(ann, "durable-a", "a", 3);
            String epoch = joinedFrame(ann, "durable-a").getString("epoch");
            ann.sendJson(new JsonObject().put("type", "leave").put("room", "durable-a"));
            ann.awaitFrame(frame -> "left".equals(frame.getString("type")));

            ann.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", "durable-a")
                            .put("since", 1)
                            .put("epoch", epoch)
                            .put("id", "rejoin"));
            JsonObject joined = ann.awaitFrame(frame -> "rejoin".equals(frame.getString("id")));
            assertThat(joined.getString("epoch")).isEqualTo(epoch);
            assertThat(joined.getLong("seq")).isEqualTo(3L);
            assertThat(joined.getBoolean("recovered")).isTrue();
            // The first a-3 arrived long ago: wait for the replay's own copy.
            await().atMost(ChatClient.TIMEOUT).until(() -> seqs(ann, "durable-a").size() == 5);
            assertThat(seqs(ann, "durable-a")).containsExactly(1L, 2L, 3L, 2L, 3L);
        }
    }

    @Test
    void aClientAwayForMoreThanTheMemoryWindowRecoversEverything() {
        int missed = MEMORY_WINDOW * 5;
        try (ChatClient ann = connect("w-ann").join("durable-b")) {
            sendNumbered(ann, "durable-b", "b", 1);
            String epoch = joinedFrame(ann, "durable-b").getString("epoch");
            sendNumbered(ann, "durable-b", "later", missed);

            try (ChatClient bob = connect("w-bob")) {
                bob.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", "durable-b")
                                .put("since", 1)
                                .put("epoch", epoch));
                bob.awaitMessage("later-" + missed);
                assertThat(joinedFrame(bob, "durable-b").getBoolean("recovered")).isTrue();
                assertThat(seqs(bob, "durable-b")).containsExactlyElementsOf(range(2, missed + 1));
            }
        }
    }
}
