package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.function.Predicate;

/**
 * Mentions: {@code @name} of a member reaches every connection of that user as {@code mention}, in
 * the room or not, and the user's unread messages that mention it are counted apart.
 */
@QuarkusTest
class MentionsFlowTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aMentionedMemberHearsOfItOnEveryConnectionAndNobodyElseDoes() {
        String room = "mn-desk";
        try (ChatClient ann = connect("mn-ann").join(room);
                ChatClient bob = connect("mn-bob").join(room);
                ChatClient bobsPhone = connect("mn-bob");
                ChatClient cat = connect("mn-cat")) {
            ann.send(room, "@mn-bob, see this; @mn-cat too, and me @mn-ann", "mn-1");
            long seq = bob.awaitMessage("mn-1").getLong("seq");

            JsonObject told = bobsPhone.awaitFrame(mention(room, seq));
            assertThat(told.fieldNames())
                    .containsExactlyInAnyOrder("type", "room", "seq", "from", "text");
            assertThat(told.getString("from")).isEqualTo("mn-ann");
            assertThat(told.getString("text")).startsWith("@mn-bob, see this");
            bob.awaitFrame(mention(room, seq));

            // cat is not in the room, and ann wrote it: a later mention of bob is the fence.
            ann.send(room, "@mn-bob again", "mn-2");
            long again = bob.awaitMessage("mn-2").getLong("seq");
            bobsPhone.awaitFrame(mention(room, again));
            assertThat(cat.framesOfType("mention")).isEmpty();
            assertThat(ann.framesOfType("mention")).isEmpty();
        }
    }

    @Test
    void unreadMentionsAreCountedApartFromUnreadMessages() {
        String room = "mn-count";
        try (ChatClient dan = connect("mn-dan").join(room);
                ChatClient eve = connect("mn-eve").join(room)) {
            dan.send(room, "hi @mn-eve", "mn-3");
            dan.send(room, "hello all", "mn-4");
            dan.send(room, "again, @mn-eve?", "mn-5");
            dan.send(room, "not for @mn-eves", "mn-6");
            eve.awaitMessage("mn-6");

            try (ChatClient evesPhone = connect("mn-eve")) {
                JsonObject joined = evesPhone.joined(room);
                assertThat(joined.getLong("unread")).isEqualTo(4);
                assertThat(joined.getLong("mentions")).isEqualTo(2);
                JsonObject listed = DirectConversationsTest.listedRoom(evesPhone, room);
                assertThat(listed.getLong("mentions")).isEqualTo(2);
            }
        }
    }

    private static Predicate<JsonObject> mention(String room, long seq) {
        return frame ->
                "mention".equals(frame.getString("type"))
                        && room.equals(frame.getString("room"))
                        && frame.getLong("seq") == seq;
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}
