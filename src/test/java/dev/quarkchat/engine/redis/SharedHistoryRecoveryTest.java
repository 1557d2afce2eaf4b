package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.room.RecoveryRules;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

/**
 * The recovery rules hold the same with the history in Redis, with one difference: a room's history
 * outlives its last member (for {@code chat.backplane.redis.room-ttl}), since other instances may
 * still use it.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedHistoryRecoveryTest extends RecoveryRules {

    @Test
    void aRoomThatEmptiedKeepsItsHistoryForTheNextJoin() {
        try (ChatClient ann = connect("e-ann").join("history-d")) {
            sendNumbered(ann, "history-d", "d", 3);
            String epoch = joinedFrame(ann, "history-d").getString("epoch");
            ann.sendJson(new JsonObject().put("type", "leave").put("room", "history-d"));
            ann.awaitFrame(frame -> "left".equals(frame.getString("type")));

            ann.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", "history-d")
                            .put("since", 3)
                            .put("epoch", epoch)
                            .put("id", "rejoin"));
            JsonObject joined = ann.awaitFrame(frame -> "rejoin".equals(frame.getString("id")));
            assertThat(joined.getString("epoch")).isEqualTo(epoch);
            assertThat(joined.getLong("seq")).isEqualTo(3L);
            assertThat(joined.getBoolean("recovered")).isTrue();
        }
    }
}
