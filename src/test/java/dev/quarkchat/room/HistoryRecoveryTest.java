package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

/**
 * The recovery rules on a single instance, where a room lives while it has members: one that comes
 * back is a new sequence.
 */
@QuarkusTest
class HistoryRecoveryTest extends RecoveryRules {

    @Test
    void aRoomThatEmptiedStartsANewEpochAtSeqOne() {
        try (ChatClient ann = connect("e-ann").join("history-d")) {
            sendNumbered(ann, "history-d", "d", 3);
            String first = joinedFrame(ann, "history-d").getString("epoch");
            ann.sendJson(new JsonObject().put("type", "leave").put("room", "history-d"));
            ann.awaitFrame(frame -> "left".equals(frame.getString("type")));

            ann.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", "history-d")
                            .put("since", 3)
                            .put("epoch", first)
                            .put("id", "rejoin"));
            JsonObject joined = ann.awaitFrame(frame -> "rejoin".equals(frame.getString("id")));
            assertThat(joined.getString("epoch")).isNotEqualTo(first);
            assertThat(joined.getLong("seq")).isZero();
            assertThat(joined.getBoolean("recovered")).isFalse();
        }
    }
}
