package dev.quarkchat.room;

import static dev.quarkchat.testing.Frames.deleted;
import static dev.quarkchat.testing.Frames.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

/**
 * Read positions and unread counts: a {@code read} moves the user's position forward and each of
 * its other connections in the room hears of it; a later join of the user starts there, with {@code
 * readSeq} and an {@code unread} count of the live messages of others after it.
 */
@QuarkusTest
class ReadPositionsTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aSecondDeviceStartsWhereTheFirstStoppedReading() {
        String room = "rd-devices";
        try (ChatClient ann = connect("rd-ann").join(room);
                ChatClient annsLaptop = connect("rd-ann").join(room);
                ChatClient bob = connect("rd-bob").join(room)) {
            long first = post(bob, room, "one", "rd-d-1", ann);
            long second = post(bob, room, "two", "rd-d-2", ann);
            post(bob, room, "three", "rd-d-3", ann);

            ann.sendJson(readIn(room, second));

            JsonObject told = annsLaptop.awaitFrame(read(room, second));
            assertThat(told.fieldNames()).containsExactlyInAnyOrder("type", "room", "seq");
            assertThat(ann.framesOfType("read")).as("the connection that read knows").isEmpty();
            try (ChatClient annsPhone = connect("rd-ann")) {
                JsonObject joined = annsPhone.joined(room);
                assertThat(joined.getLong("readSeq")).isEqualTo(second);
                assertThat(joined.getLong("unread")).isEqualTo(1);
            }
            assertThat(bob.framesOfType("read")).isEmpty();
            assertThat(first).isLessThan(second);
        }
    }

    @Test
    void aPositionOnlyMovesForwardAndNoFurtherThanTheRoom() {
        String room = "rd-forward";
        try (ChatClient cat = connect("rd-cat").join(room);
                ChatClient catsLaptop = connect("rd-cat").join(room);
                ChatClient dan = connect("rd-dan").join(room)) {
            long first = post(dan, room, "a", "rd-f-1", cat);
            post(dan, room, "b", "rd-f-2", cat);
            long third = post(dan, room, "c", "rd-f-3", cat);

            cat.sendJson(readIn(room, third));
            catsLaptop.awaitFrame(read(room, third));
            cat.sendJson(readIn(room, first));
            cat.sendJson(readIn(room, third));
            long last = post(dan, room, "d", "rd-f-4", cat);
            // Past the room's latest message: the position stops there.
            cat.sendJson(readIn(room, last + 1000));
            catsLaptop.awaitFrame(read(room, last));

            assertThat(catsLaptop.framesOfType("read"))
                    .extracting(frame -> frame.getLong("seq"))
                    .containsExactly(third, last);
            try (ChatClient catsPhone = connect("rd-cat")) {
                JsonObject joined = catsPhone.joined(room);
                assertThat(joined.getLong("readSeq")).isEqualTo(last);
                assertThat(joined.getLong("unread")).isZero();
            }
        }
    }

    @Test
    void unreadCountsLiveMessagesOfOthersNotOwnEditsOrDeletions() {
        String room = "rd-count";
        try (ChatClient eve = connect("rd-eve").join(room);
                ChatClient evesTablet = connect("rd-eve").join(room);
                ChatClient fay = connect("rd-fay").join(room)) {
            post(fay, room, "m1", "rd-c-1", eve);
            long m2 = post(fay, room, "m2", "rd-c-2", eve);
            long m3 = post(fay, room, "m3", "rd-c-3", eve);
            long own = post(eve, room, "mine", "rd-c-4", eve);
            post(fay, room, "m4", "rd-c-5", eve);
            post(fay, room, "m5", "rd-c-6", eve);
            MessageEditTest.edit(fay, room, m2, "m2!", "rd-c-7");
            fay.sendJson(
                    new JsonObject()
                            .put("type", "delete")
                            .put("room", room)
                            .put("seq", m3)
                            .put("id", "rd-c-8"));
            eve.awaitFrame(deleted(room, m3));

            try (ChatClient evesPhone = connect("rd-eve")) {
                JsonObject joined = evesPhone.joined(room);
                assertThat(joined.getLong("readSeq")).isZero();
                // m1, m2 (edited) and m4, m5: not the deleted m3, nor eve's own, nor the events.
                assertThat(joined.getLong("unread")).isEqualTo(4);
            }
            eve.sendJson(readIn(room, own));
            evesTablet.awaitFrame(read(room, own));
            try (ChatClient evesPhone = connect("rd-eve")) {
                JsonObject joined = evesPhone.joined(room);
                assertThat(joined.getLong("readSeq")).isEqualTo(own);
                assertThat(joined.getLong("unread")).isEqualTo(2);
            }
        }
    }

    @Test
    void unreadIsExactAfterABurst() {
        String room = "rd-burst";
        int burst = 40;
        try (ChatClient gus = connect("rd-gus").join(room);
                ChatClient gusPhone = connect("rd-gus").join(room);
                ChatClient hal = connect("rd-hal").join(room)) {
            long read = post(hal, room, "before", "rd-b-0", gus);
            gus.sendJson(readIn(room, read));
            gusPhone.awaitFrame(read(room, read));
            for (int n = 1; n <= burst; n++) {
                hal.send(room, "burst " + n, "rd-b-" + n);
            }
            gus.awaitMessage("rd-b-" + burst);

            try (ChatClient gusTablet = connect("rd-gus")) {
                JsonObject joined = gusTablet.joined(room);
                assertThat(joined.getLong("readSeq")).isEqualTo(read);
                assertThat(joined.getLong("unread")).isEqualTo(burst);
                assertThat(joined.getLong("seq")).isEqualTo(read + burst);
            }
        }
    }

    @Test
    void aReadIsRefusedWithItsRefWhenItCannotApply() {
        try (ChatClient ivy = connect("rd-ivy")) {
            ivy.sendJson(readIn("rd-elsewhere", 3).put("id", "rd-1"));
            assertThat(ivy.awaitError("rd-1").getString("code")).isEqualTo("not_joined");

            for (Object badSeq : List.of(0, -4, "7", 1.5)) {
                ivy.sendJson(
                        new JsonObject()
                                .put("type", "read")
                                .put("room", "lobby")
                                .put("seq", badSeq)
                                .put("id", "rd-seq-" + badSeq));
                assertThat(ivy.awaitError("rd-seq-" + badSeq).getString("code"))
                        .isEqualTo("invalid_seq");
            }
            ivy.sendJson(
                    new JsonObject().put("type", "read").put("room", "lobby").put("id", "rd-2"));
            assertThat(ivy.awaitError("rd-2").getString("code")).isEqualTo("invalid_seq");

            ivy.sendJson(readIn("Not A Room", 3).put("id", "rd-3"));
            assertThat(ivy.awaitError("rd-3").getString("code")).isEqualTo("invalid_room");
        }
    }

    private static long post(
            ChatClient sender, String room, String text, String id, ChatClient witness) {
        sender.send(room, text, id);
        return witness.awaitMessage(id).getLong("seq");
    }

    private static JsonObject readIn(String room, long seq) {
        return new JsonObject().put("type", "read").put("room", room).put("seq", seq);
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}
