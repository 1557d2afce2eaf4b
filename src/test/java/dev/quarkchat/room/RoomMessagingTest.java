package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Joining rooms and talking in them; see docs/protocol.md, "Client frames" and "Server frames". */
@QuarkusTest
class RoomMessagingTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyConnectionStartsInTheLobbyAndHearsEveryoneThere() {
        try (ChatClient ann = connect("ann");
                ChatClient ben = connect("ben")) {
            JsonObject welcome = ann.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
            assertThat(welcome.getString("user")).isEqualTo("ann");
            assertThat(welcome.getInteger("maxTextLength")).isEqualTo(4000);
            ann.awaitFrame(
                    frame ->
                            "joined".equals(frame.getString("type"))
                                    && "lobby".equals(frame.getString("room")));

            ann.send("lobby", "hello everyone", "lobby-1");

            JsonObject heard = ben.awaitMessage("lobby-1");
            assertThat(heard.getString("from")).isEqualTo("ann");
            assertThat(heard.getString("text")).isEqualTo("hello everyone");
        }
    }

    @Test
    void membersOfARoomExchangeMessagesWithServerAssignedSenderSeqAndTime() {
        try (ChatClient carol = connect("carol").join("garden");
                ChatClient dan = connect("dan").join("garden")) {
            Instant before = Instant.now().minusSeconds(1);

            carol.send("garden", "roses are up", "c-1");
            dan.send("garden", "so are the tulips", "d-1");

            JsonObject carolsOwnCopy = carol.awaitMessage("c-1");
            JsonObject carolsAsDanSeesIt = dan.awaitMessage("c-1");
            JsonObject dansAsCarolSeesIt = carol.awaitMessage("d-1");
            assertThat(carolsAsDanSeesIt).isEqualTo(carolsOwnCopy);
            assertThat(carolsOwnCopy.getString("from")).isEqualTo("carol");
            assertThat(carolsOwnCopy.getString("room")).isEqualTo("garden");
            assertThat(dansAsCarolSeesIt.getString("from")).isEqualTo("dan");
            assertThat(Instant.parse(carolsOwnCopy.getString("ts")))
                    .isAfter(before)
                    .isBefore(Instant.now().plusSeconds(1));
            assertThat(carolsOwnCopy.getString("ts"))
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(List.of(carolsOwnCopy.getLong("seq"), dansAsCarolSeesIt.getLong("seq")))
                    .containsExactlyInAnyOrder(1L, 2L);
        }
    }

    @Test
    void theSenderNameComesFromTheTokenNeverFromTheFrame() {
        try (ChatClient erin = connect("erin").join("truth")) {
            erin.sendJson(
                    new JsonObject()
                            .put("type", "send")
                            .put("room", "truth")
                            .put("text", "I am the admin")
                            .put("from", "admin")
                            .put("id", "spoof-1"));

            assertThat(erin.awaitMessage("spoof-1").getString("from")).isEqualTo("erin");
        }
    }

    @Test
    void nonMembersReceiveNothingFromARoom() {
        try (ChatClient fay = connect("fay").join("secret-garden");
                ChatClient gus = connect("gus")) {
            fay.send("secret-garden", "just for members", "sg-1");
            fay.awaitMessage("sg-1");
            // A frame for gus from the room would have been queued on his socket before this later
            // lobby message.
            fay.send("lobby", "barrier", "barrier-1");
            gus.awaitMessage("barrier-1");

            assertThat(gus.frames())
                    .noneMatch(frame -> "secret-garden".equals(frame.getString("room")));
        }
    }

    @Test
    void joinedListsTheMembersAndLeftConfirmsTheLeave() {
        try (ChatClient hal = connect("hal").join("attic");
                ChatClient ida = connect("ida")) {
            ida.sendJson(
                    new JsonObject().put("type", "join").put("room", "attic").put("id", "j-1"));
            JsonObject joined =
                    ida.awaitFrame(
                            frame ->
                                    "joined".equals(frame.getString("type"))
                                            && "attic".equals(frame.getString("room")));
            assertThat(joined.getJsonArray("members")).containsExactly("hal", "ida");
            assertThat(joined.getString("id")).isEqualTo("j-1");

            ida.sendJson(
                    new JsonObject().put("type", "leave").put("room", "attic").put("id", "l-1"));
            JsonObject left = ida.awaitFrame(frame -> "left".equals(frame.getString("type")));
            assertThat(left.getString("room")).isEqualTo("attic");
            assertThat(left.getString("id")).isEqualTo("l-1");

            hal.send("attic", "anyone?", "after-leave");
            hal.awaitMessage("after-leave");
            hal.send("lobby", "barrier", "barrier-2");
            ida.awaitMessage("barrier-2");
            assertThat(ida.frames())
                    .noneMatch(frame -> "after-leave".equals(frame.getString("id")));
        }
    }

    @Test
    void joiningARoomTwiceIsHarmless() {
        try (ChatClient jo = connect("jo").join("porch");
                ChatClient kim = connect("kim").join("porch")) {
            jo.join("porch");
            jo.send("porch", "once", "once-1");

            kim.awaitMessage("once-1");
            jo.awaitMessage("once-1");
            assertThat(kim.framesOfType("presence"))
                    .noneMatch(frame -> "jo".equals(frame.getString("user")));
            assertThat(jo.framesOfType("message"))
                    .filteredOn(frame -> "once-1".equals(frame.getString("id")))
                    .hasSize(1);
        }
    }

    @Test
    void joiningARoomAgainWithAPositionReplaysNothing() {
        try (ChatClient jo = connect("jo").join("stoop")) {
            jo.send("stoop", "first", "stoop-1");
            jo.awaitMessage("stoop-1");
            String epoch =
                    jo.awaitFrame(
                                    frame ->
                                            "joined".equals(frame.getString("type"))
                                                    && "stoop".equals(frame.getString("room")))
                            .getString("epoch");

            jo.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", "stoop")
                            .put("since", 0)
                            .put("epoch", epoch)
                            .put("id", "again"));
            JsonObject again = jo.awaitFrame(frame -> "again".equals(frame.getString("id")));
            jo.send("stoop", "second", "stoop-2");
            jo.awaitMessage("stoop-2");

            assertThat(again.getString("type")).isEqualTo("joined");
            assertThat(again.getBoolean("recovered")).isFalse();
            assertThat(jo.messagesIn("stoop"))
                    .extracting(frame -> frame.getString("id"))
                    .containsExactly("stoop-1", "stoop-2");
        }
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}
