package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.engine.Broker;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Edits and deletions: every member sees them, the history holds the latest text and no text of a
 * deleted message, a client that comes back or pages back learns of them, and every refusal is
 * answered with its {@code ref}; see docs/protocol.md, "Edits and deletions".
 */
@QuarkusTest
class MessageEditTest {

    private static final String MODERATOR_DELETIONS =
            "chat_moderation_actions_total{action=\"delete\"}";

    @TestHTTPResource("/")
    URI base;

    @Inject RoomRegistry rooms;

    @Inject Broker broker;

    @Test
    void anEditReachesEveryMemberAndTakesTheNextPosition() {
        try (ChatClient ann = connect("ann").join("edits");
                ChatClient ben = connect("ben").join("edits")) {
            long seq = post(ann, "edits", "helo", "e-1", ben);

            edit(ann, "edits", seq, "hello", "edit-1");

            JsonObject annSees = awaitEvent(ann, "edited", seq);
            JsonObject benSees = awaitEvent(ben, "edited", seq);
            assertThat(benSees).isEqualTo(annSees);
            assertThat(annSees.getString("room")).isEqualTo("edits");
            assertThat(annSees.getString("text")).isEqualTo("hello");
            assertThat(annSees.getLong("at")).isEqualTo(seq + 1);
            assertThat(Instant.parse(annSees.getString("editedAt")))
                    .isAfterOrEqualTo(Instant.parse(benSees.getString("editedAt")))
                    .isBefore(Instant.now().plusSeconds(1));

            JsonObject stored = pageOf(ann, "edits", "p-1").get(0);
            assertThat(stored.getLong("seq")).isEqualTo(seq);
            assertThat(stored.getString("text")).isEqualTo("hello");
            assertThat(stored.getString("editedAt")).isEqualTo(annSees.getString("editedAt"));
            assertThat(stored.getString("id")).isEqualTo("e-1");
        }
    }

    @Test
    void aDeletionReachesEveryMemberAndLeavesNoTextBehind() {
        try (ChatClient ann = connect("ann").join("erasing");
                ChatClient ben = connect("ben").join("erasing")) {
            long seq = post(ann, "erasing", "my secret plan", "s-1", ben);
            edit(ann, "erasing", seq, "my secret plan, revised", "edit-1");
            awaitEvent(ben, "edited", seq);

            delete(ann, "erasing", seq, "del-1");

            JsonObject annSees = awaitEvent(ann, "deleted", seq);
            assertThat(awaitEvent(ben, "deleted", seq)).isEqualTo(annSees);
            assertThat(annSees.getLong("at")).isEqualTo(seq + 2);
            assertThat(annSees.containsKey("text")).isFalse();

            List<JsonObject> page = pageOf(ben, "erasing", "p-1");
            assertThat(page)
                    .extracting(frame -> frame.getString("type"))
                    .containsExactly("message", "deleted", "deleted");
            assertThat(page.get(0).getBoolean("deleted")).isTrue();
            assertThat(page.get(0).containsKey("text")).isFalse();
            assertThat(page.get(1).getLong("at")).isEqualTo(seq + 1);
            assertThat(String.join("\n", stored("erasing"))).doesNotContain("secret");
        }
    }

    @Test
    void everyRefusalIsAnsweredWithItsRef() {
        try (ChatClient ann = connect("ann").join("rules");
                ChatClient ben = connect("ben").join("rules")) {
            long seq = post(ann, "rules", "mine", "m-1", ben);

            edit(ben, "rules", seq, "ours", "ben-edit");
            assertThat(ben.awaitError("ben-edit").getString("code")).isEqualTo("not_yours");
            delete(ben, "rules", seq, "ben-delete");
            assertThat(ben.awaitError("ben-delete").getString("code")).isEqualTo("not_yours");

            edit(ann, "rules", seq + 100, "nothing there", "far");
            assertThat(ann.awaitError("far").getString("code")).isEqualTo("unknown_message");
            edit(ann, "other-room", seq, "elsewhere", "outside");
            assertThat(ann.awaitError("outside").getString("code")).isEqualTo("not_joined");

            delete(ann, "rules", seq, "first");
            awaitEvent(ben, "deleted", seq);
            delete(ann, "rules", seq, "again");
            assertThat(ann.awaitError("again").getString("code")).isEqualTo("message_deleted");
            edit(ann, "rules", seq, "back", "revive");
            assertThat(ann.awaitError("revive").getString("code")).isEqualTo("message_deleted");
            // The deletion's own position holds no message.
            delete(ann, "rules", seq + 1, "event");
            assertThat(ann.awaitError("event").getString("code")).isEqualTo("unknown_message");
        }
    }

    @Test
    void anAdminDeletesAnyonesMessage() {
        try (ChatClient ann = connect("ann").join("moderated");
                ChatClient mod =
                        ChatClient.connect(base, TestTokens.admin("mod")).join("moderated")) {
            long seq = post(ann, "moderated", "spam spam spam", "spam-1", mod);
            Metrics metrics = Metrics.ofTestedService();
            double deletions = metrics.value(MODERATOR_DELETIONS);

            edit(mod, "moderated", seq, "ham", "mod-edit");
            assertThat(mod.awaitError("mod-edit").getString("code")).isEqualTo("not_yours");
            delete(mod, "moderated", seq, "mod-delete");

            awaitEvent(ann, "deleted", seq);
            assertThat(String.join("\n", stored("moderated"))).doesNotContain("spam spam");
            // A moderator's deletion over the WebSocket counts (and is audited) like one through
            // the server API.
            await().atMost(ChatClient.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(metrics.value(MODERATOR_DELETIONS))
                                            .isEqualTo(deletions + 1));
        }
    }

    @Test
    void aModeratorDeletesThroughTheRegistryWithATypedOutcome() throws Exception {
        try (ChatClient ann = connect("ann").join("service")) {
            long seq = post(ann, "service", "remove me", "r-1", ann);

            assertThat(deleteAsModerator("service", seq)).isEqualTo(ModeratorDeletion.DELETED);
            awaitEvent(ann, "deleted", seq);
            assertThat(deleteAsModerator("service", seq))
                    .isEqualTo(ModeratorDeletion.ALREADY_DELETED);
            assertThat(deleteAsModerator("service", seq + 50)).isEqualTo(ModeratorDeletion.UNKNOWN);
        }
    }

    @Test
    void aClientThatComesBackLearnsOfEditsAndDeletionsOfMessagesItHad() {
        try (ChatClient ann = connect("ann").join("away")) {
            long first = post(ann, "away", "first draft", "a-1", ann);
            long second = post(ann, "away", "regrettable", "a-2", ann);
            JsonObject carolJoined;
            long carolSaw;
            try (ChatClient carol = connect("carol")) {
                carolJoined = joinFrame(carol, "away");
                carol.awaitFrame(frame -> "a-2".equals(frame.getString("id")));
                carolSaw = second;
            }
            edit(ann, "away", first, "final draft", "ed");
            delete(ann, "away", second, "del");
            // Sent together, they may take their positions in either order: the store decides.
            awaitEvent(ann, "edited", first);
            awaitEvent(ann, "deleted", second);

            try (ChatClient carol = connect("carol")) {
                carol.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", "away")
                                .put("since", carolSaw)
                                .put("epoch", carolJoined.getString("epoch")));
                JsonObject joined =
                        carol.awaitFrame(
                                frame ->
                                        "joined".equals(frame.getString("type"))
                                                && "away".equals(frame.getString("room")));
                assertThat(joined.getBoolean("recovered")).isTrue();
                JsonObject edited = awaitEvent(carol, "edited", first);
                JsonObject deleted = awaitEvent(carol, "deleted", second);
                assertThat(edited.getString("text")).isEqualTo("final draft");
                assertThat(Math.max(edited.getLong("at"), deleted.getLong("at")))
                        .isEqualTo(joined.getLong("seq"));
            }
        }
    }

    @Test
    void aClientPagingBackSeesMessagesAsTheyStandNow() {
        try (ChatClient ann = connect("ann").join("archive")) {
            long first = post(ann, "archive", "typo", "t-1", ann);
            long second = post(ann, "archive", "oops", "t-2", ann);
            edit(ann, "archive", first, "no typo", "ed");
            delete(ann, "archive", second, "del");
            awaitEvent(ann, "deleted", second);

            try (ChatClient dan = connect("dan").join("archive")) {
                List<JsonObject> messages =
                        pageOf(dan, "archive", "page").stream()
                                .filter(frame -> "message".equals(frame.getString("type")))
                                .collect(Collectors.toList());
                assertThat(messages).hasSize(2);
                assertThat(messages.get(0).getString("text")).isEqualTo("no typo");
                assertThat(messages.get(0).getString("editedAt")).isNotNull();
                assertThat(messages.get(1).getBoolean("deleted")).isTrue();
                assertThat(messages.get(1).containsKey("text")).isFalse();
            }
        }
    }

    @Test
    void anEditRacingADeletionIsWhollyBeforeItOrRefused() {
        try (ChatClient ann = connect("ann").join("race");
                ChatClient ben = connect("ben").join("race")) {
            long seq = post(ann, "race", "racing", "race-1", ben);

            delete(ann, "race", seq, "del");
            edit(ann, "race", seq, "too late?", "ed");

            JsonObject deleted = awaitEvent(ben, "deleted", seq);
            JsonObject answer =
                    ann.awaitFrame(
                            frame ->
                                    "ed".equals(frame.getString("ref"))
                                            || ("edited".equals(frame.getString("type"))
                                                    && frame.getLong("seq") == seq));
            if ("error".equals(answer.getString("type"))) {
                assertThat(answer.getString("code")).isEqualTo("message_deleted");
            } else {
                assertThat(answer.getLong("at")).isLessThan(deleted.getLong("at"));
            }
            JsonObject stored = pageOf(ben, "race", "p").get(0);
            assertThat(stored.getBoolean("deleted")).isTrue();
            assertThat(String.join("\n", stored("race"))).doesNotContain("too late");
        }
    }

    @Test
    void aRepeatedEditIsANewEditEachTime() {
        try (ChatClient ann = connect("ann").join("again")) {
            long seq = post(ann, "again", "v0", "v-0", ann);

            edit(ann, "again", seq, "v1", "ed-1");
            JsonObject once = awaitEvent(ann, "edited", seq);
            edit(ann, "again", seq, "v1", "ed-2");
            JsonObject twice =
                    ann.awaitFrame(
                            frame ->
                                    "edited".equals(frame.getString("type"))
                                            && frame.getLong("at") > once.getLong("at"));

            assertThat(twice.getString("text")).isEqualTo("v1");
            assertThat(twice.getLong("at")).isEqualTo(once.getLong("at") + 1);
        }
    }

    /**
     * What the engine stores of the room, every frame or row as text: the history through the
     * broker here, the storage itself where a subclass can read it.
     */
    protected List<String> stored(String room) {
        return broker.history(room, Optional.empty(), 1000).toCompletableFuture().join().frames();
    }

    private ModeratorDeletion deleteAsModerator(String room, long seq) throws Exception {
        return rooms.deleteAsModerator(room, seq)
                .toCompletableFuture()
                .get(ChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a message and waits until {@code witness} has it; its seq. */
    private static long post(
            ChatClient sender, String room, String text, String id, ChatClient witness) {
        sender.send(room, text, id);
        return witness.awaitMessage(id).getLong("seq");
    }

    static void edit(ChatClient client, String room, long seq, String text, String id) {
        client.sendJson(
                new JsonObject()
                        .put("type", "edit")
                        .put("room", room)
                        .put("seq", seq)
                        .put("text", text)
                        .put("id", id));
    }

    static void delete(ChatClient client, String room, long seq, String id) {
        client.sendJson(
                new JsonObject()
                        .put("type", "delete")
                        .put("room", room)
                        .put("seq", seq)
                        .put("id", id));
    }

    static JsonObject awaitEvent(ChatClient client, String type, long seq) {
        return client.awaitFrame(
                frame -> type.equals(frame.getString("type")) && frame.getLong("seq") == seq);
    }

    private static JsonObject joinFrame(ChatClient client, String room) {
        client.sendJson(new JsonObject().put("type", "join").put("room", room));
        return client.awaitFrame(
                frame ->
                        "joined".equals(frame.getString("type"))
                                && room.equals(frame.getString("room")));
    }

    private static List<JsonObject> pageOf(ChatClient client, String room, String id) {
        JsonArray messages = client.history(room, null, null, id).getJsonArray("messages");
        return messages.stream().map(JsonObject.class::cast).collect(Collectors.toList());
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}
