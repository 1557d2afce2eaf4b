package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A returning client gets exactly what it missed, or a fresh view when that is no longer held: the
 * rules every backplane keeps, run by {@link HistoryRecoveryTest} (one instance) and the shared
 * rooms' test.
 */
public abstract class RecoveryRules {

    private static final int ON_JOIN = 20;
    private static final int HISTORY_SIZE = 100;

    @TestHTTPResource("/")
    protected URI base;

    @Test
    void aJoinWithoutSinceGetsTheLatestMessagesAfterJoined() {
        try (ChatClient ann = connect("h-ann").join("history-a")) {
            sendNumbered(ann, "history-a", "a", 25);
            try (ChatClient bob = connect("h-bob")) {
                bob.sendJson(new JsonObject().put("type", "join").put("room", "history-a"));
                bob.awaitMessage("a-25");

                JsonObject joined = joinedFrame(bob, "history-a");
                assertThat(joined.getLong("seq")).isEqualTo(25L);
                assertThat(joined.getBoolean("recovered")).isFalse();
                assertThat(seqs(bob, "history-a"))
                        .containsExactlyElementsOf(range(25 - ON_JOIN + 1, 25));
                assertThat(bob.frames().indexOf(joined))
                        .isLessThan(bob.frames().indexOf(bob.awaitMessage("a-6")));
            }
        }
    }

    @Test
    void aJoinWithSinceAndTheEpochReplaysExactlyWhatWasMissed() {
        try (ChatClient ann = connect("r-ann").join("history-b")) {
            String epoch;
            try (ChatClient bob = connect("r-bob").join("history-b")) {
                sendNumbered(ann, "history-b", "b", 5);
                bob.awaitMessage("b-5");
                epoch = joinedFrame(bob, "history-b").getString("epoch");
            }
            for (int n = 6; n <= 10; n++) {
                ann.send("history-b", "missed " + n, "b-" + n);
            }
            ann.awaitMessage("b-10");

            try (ChatClient bob = connect("r-bob")) {
                bob.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", "history-b")
                                .put("since", 5)
                                .put("epoch", epoch));
                bob.awaitMessage("b-10");
                ann.send("history-b", "live again", "b-11");
                bob.awaitMessage("b-11");

                JsonObject joined = joinedFrame(bob, "history-b");
                assertThat(joined.getBoolean("recovered")).isTrue();
                assertThat(joined.getString("epoch")).isEqualTo(epoch);
                assertThat(seqs(bob, "history-b")).containsExactlyElementsOf(range(6, 11));
            }
        }
    }

    @Test
    void anotherEpochOrAPositionNoLongerHeldGetsAFreshView() {
        try (ChatClient ann = connect("f-ann").join("history-c")) {
            sendNumbered(ann, "history-c", "c", HISTORY_SIZE + 10);
            String epoch = joinedFrame(ann, "history-c").getString("epoch");

            try (ChatClient wrongEpoch = connect("f-bob")) {
                wrongEpoch.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", "history-c")
                                .put("since", 105)
                                .put("epoch", "not-" + epoch));
                wrongEpoch.awaitMessage("c-" + (HISTORY_SIZE + 10));
                assertThat(joinedFrame(wrongEpoch, "history-c").getBoolean("recovered")).isFalse();
                assertThat(joinedFrame(wrongEpoch, "history-c").getString("epoch"))
                        .isEqualTo(epoch);
                assertThat(seqs(wrongEpoch, "history-c")).hasSize(ON_JOIN);
            }
            try (ChatClient tooOld = connect("f-cat")) {
                tooOld.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", "history-c")
                                .put("since", 2)
                                .put("epoch", epoch));
                tooOld.awaitMessage("c-" + (HISTORY_SIZE + 10));
                assertThat(joinedFrame(tooOld, "history-c").getBoolean("recovered")).isFalse();
                assertThat(seqs(tooOld, "history-c"))
                        .containsExactlyElementsOf(
                                range(HISTORY_SIZE + 10 - ON_JOIN + 1, HISTORY_SIZE + 10));
            }
        }
    }

    protected ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }

    protected static void sendNumbered(ChatClient client, String room, String prefix, int count) {
        for (int n = 1; n <= count; n++) {
            client.send(room, "message " + n, prefix + "-" + n);
        }
        client.awaitMessage(prefix + "-" + count);
    }

    protected static JsonObject joinedFrame(ChatClient client, String room) {
        return client.awaitFrame(
                frame ->
                        "joined".equals(frame.getString("type"))
                                && room.equals(frame.getString("room")));
    }

    protected static List<Long> seqs(ChatClient client, String room) {
        return client.framesOfType("message").stream()
                .filter(frame -> room.equals(frame.getString("room")))
                .map(frame -> frame.getLong("seq"))
                .collect(Collectors.toList());
    }

    protected static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().collect(Collectors.toList());
    }
}
