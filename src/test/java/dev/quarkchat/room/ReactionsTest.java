package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.function.Predicate;

/**
 * Emoji reactions: each change reaches every member as a {@code reaction} at a position of its own,
 * the message keeps them for history and recovery, and bad or excessive reactions are refused with
 * the frame's ref.
 */
@QuarkusTest
class ReactionsTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyMemberSeesAReactionComeAndGoAndHistoryKeepsWhatStands() {
        String room = "re-thumbs";
        try (ChatClient ann = connect("re-ann").join(room);
                ChatClient bob = connect("re-bob").join(room)) {
            long seq = post(bob, room, "ship it?", "re-1", ann);

            ann.sendJson(react(room, seq, "👍", true).put("id", "re-r1"));
            JsonObject told = bob.awaitFrame(reaction(room, seq, "👍", true));
            assertThat(told.fieldNames())
                    .containsExactlyInAnyOrder("type", "room", "seq", "at", "emoji", "user", "on");
            assertThat(told.getString("user")).isEqualTo("re-ann");
            assertThat(told.getLong("at")).isGreaterThan(seq);
            ann.awaitFrame(reaction(room, seq, "👍", true));
            bob.sendJson(react(room, seq, "🎉", true));
            bob.awaitFrame(reaction(room, seq, "🎉", true));

            JsonObject kept = messageInHistory(bob, room, seq, "re-h1");
            assertThat(kept.getJsonObject("reactions").getMap())
                    .containsExactly(
                            java.util.Map.entry("👍", List.of("re-ann")),
                            java.util.Map.entry("🎉", List.of("re-bob")));

            // The same again changes nothing; taking it back does.
            ann.sendJson(react(room, seq, "👍", true));
            ann.sendJson(react(room, seq, "👍", false));
            bob.awaitFrame(reaction(room, seq, "👍", false));
            assertThat(bob.frames()).filteredOn(reaction(room, seq, "👍", true)).hasSize(1);
            assertThat(
                            messageInHistory(bob, room, seq, "re-h2")
                                    .getJsonObject("reactions")
                                    .getMap())
                    .containsOnlyKeys("🎉");
            assertThat(ann.framesOfType("error")).isEmpty();
        }
    }

    @Test
    void aReturningClientRecoversTheReactionsItMissed() {
        String room = "re-recover";
        try (ChatClient dan = connect("re-dan").join(room)) {
            long seq;
            String epoch;
            try (ChatClient cat = connect("re-cat")) {
                epoch = cat.joined(room).getString("epoch");
                seq = post(dan, room, "lunch?", "re-2", cat);
            }
            dan.sendJson(react(room, seq, "🍕", true));
            dan.awaitFrame(reaction(room, seq, "🍕", true));

            try (ChatClient cat = connect("re-cat")) {
                cat.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", room)
                                .put("since", seq)
                                .put("epoch", epoch));
                JsonObject replayed = cat.awaitFrame(reaction(room, seq, "🍕", true));
                assertThat(replayed.getString("user")).isEqualTo("re-dan");
            }
        }
    }

    @Test
    void reactionsAreBoundedAndBadOnesAreRefusedWithTheirRef() {
        String room = "re-bounds";
        try (ChatClient eve = connect("re-eve").join(room);
                ChatClient fay = connect("re-fay").join(room)) {
            long seq = post(fay, room, "react to me", "re-3", eve);
            List<String> emoji =
                    List.of("😀", "😃", "😄", "😁", "😆", "😅", "🤣", "😂", "🙂", "🙃", "😉");
            for (String one : emoji.subList(0, 10)) {
                eve.sendJson(react(room, seq, one, true));
            }
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> eve.framesOfType("reaction").size() == 10);
            eve.sendJson(react(room, seq, emoji.get(10), true).put("id", "re-b1"));
            assertThat(eve.awaitError("re-b1").getString("code")).isEqualTo("too_many_reactions");

            for (Object bad : List.of("hello", "", "a👍", "👍".repeat(17), 7)) {
                String ref = "re-bad-" + bad.hashCode();
                eve.sendJson(react(room, seq, "x", true).put("emoji", bad).put("id", ref));
                assertThat(eve.awaitError(ref).getString("code")).isEqualTo("invalid_reaction");
            }
            eve.sendJson(react(room, seq, "👍", true).put("on", "yes").put("id", "re-b2"));
            assertThat(eve.awaitError("re-b2").getString("code")).isEqualTo("invalid_reaction");
            eve.sendJson(react(room, seq + 500, "👍", true).put("id", "re-b3"));
            assertThat(eve.awaitError("re-b3").getString("code")).isEqualTo("unknown_message");
            eve.sendJson(react("re-elsewhere", seq, "👍", true).put("id", "re-b4"));
            assertThat(eve.awaitError("re-b4").getString("code")).isEqualTo("not_joined");

            // A keycap, a flag and a family are one emoji each.
            for (String one : List.of("1️⃣", "🇫🇷", "👨‍👩‍👧")) {
                fay.sendJson(react(room, seq, one, true));
                fay.awaitFrame(reaction(room, seq, one, true));
            }
        }
    }

    @Test
    void aDeletedMessageLosesItsReactionsAndTakesNoMore() {
        String room = "re-deleted";
        try (ChatClient gus = connect("re-gus").join(room)) {
            long seq = post(gus, room, "oops", "re-4", gus);
            gus.sendJson(react(room, seq, "👀", true));
            gus.awaitFrame(reaction(room, seq, "👀", true));
            gus.sendJson(
                    new JsonObject()
                            .put("type", "delete")
                            .put("room", room)
                            .put("seq", seq)
                            .put("id", "re-d1"));
            gus.awaitFrame(frame -> "deleted".equals(frame.getString("type")));

            assertThat(messageInHistory(gus, room, seq, "re-h3").containsKey("reactions"))
                    .isFalse();
            gus.sendJson(react(room, seq, "👀", true).put("id", "re-d2"));
            assertThat(gus.awaitError("re-d2").getString("code")).isEqualTo("message_deleted");
        }
    }

    private static JsonObject messageInHistory(
            ChatClient client, String room, long seq, String id) {
        JsonArray messages = client.history(room, null, 50, id).getJsonArray("messages");
        return messages.stream()
                .map(JsonObject.class::cast)
                .filter(
                        frame ->
                                "message".equals(frame.getString("type"))
                                        && frame.getLong("seq") == seq)
                .findFirst()
                .orElseThrow();
    }

    private static Predicate<JsonObject> reaction(String room, long seq, String emoji, boolean on) {
        return frame ->
                "reaction".equals(frame.getString("type"))
                        && room.equals(frame.getString("room"))
                        && frame.getLong("seq") == seq
                        && emoji.equals(frame.getString("emoji"))
                        && frame.getBoolean("on") == on;
    }

    private static JsonObject react(String room, long seq, String emoji, boolean on) {
        return new JsonObject()
                .put("type", "react")
                .put("room", room)
                .put("seq", seq)
                .put("emoji", emoji)
                .put("on", on);
    }

    private static long post(
            ChatClient sender, String room, String text, String id, ChatClient witness) {
        sender.send(room, text, id);
        return witness.awaitMessage(id).getLong("seq");
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}
