package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A {@code send} is idempotent by its {@code id}, per user and room: a resend, after a dropped
 * connection or from another connection of the same user, is answered with the original message and
 * posted nowhere; see docs/protocol.md, "Resending". Every member has each message exactly once;
 * the resending connection also has the answer to its resend, which is the original frame again.
 */
@QuarkusTest
class IdempotentSendTest {

    private static final String DEDUPLICATED_SERIES = "chat_messages_deduplicated_total";
    private static final String BARRIER = "barrier-";
    private static final AtomicInteger BARRIERS = new AtomicInteger();

    @TestHTTPResource("/")
    URI base;

    @Test
    void aResendAfterTheSocketDiedBeforeTheEchoIsAnsweredWithTheOriginal() throws IOException {
        String room = "idem-unseen";
        try (ChatClient bob = connect("i-bob").join(room)) {
            JsonObject joined;
            try (RawWebSocket doomed = RawWebSocket.connect(base, TestTokens.valid("i-ann"))) {
                doomed.writeText(join(room).encode());
                joined =
                        new JsonObject(
                                doomed.readTextContaining("\"joined\",\"room\":\"" + room + "\""));
                doomed.writeText(send(room, "did this arrive?", "unseen-1").encode());
                // Posted, but the socket dies before its owner reads the echo.
                bob.awaitMessage("unseen-1");
            }
            JsonObject original = bob.awaitMessage("unseen-1");
            double deduplicatedBefore = Metrics.ofTestedService().value(DEDUPLICATED_SERIES);

            try (ChatClient ann = connect("i-ann")) {
                ann.sendJson(
                        join(room)
                                .put("since", joined.getLong("seq"))
                                .put("epoch", joined.getString("epoch")));
                ann.awaitMessage("unseen-1");
                ann.send(room, "did this arrive?", "unseen-1");

                await().atMost(ChatClient.TIMEOUT)
                        .until(() -> ann.messagesWithId("unseen-1").size() == 2);
                assertThat(ann.messagesWithId("unseen-1")).containsOnly(original);
                barrier(ann, room, bob);
                assertThat(bob.messagesWithId("unseen-1")).containsExactly(original);
                assertThat(bob.seqsIn(room))
                        .containsExactlyElementsOf(range(original.getLong("seq"), 2));
                assertThat(Metrics.ofTestedService().value(DEDUPLICATED_SERIES))
                        .isEqualTo(deduplicatedBefore + 1);
            }
        }
    }

    @Test
    void aResendAfterTheSocketDiedPastTheEchoIsAnsweredWithTheOriginal() {
        String room = "idem-seen";
        try (ChatClient bob = connect("s-bob").join(room)) {
            ChatClient first = connect("s-ann").join(room);
            first.send(room, "hello again", "seen-1");
            JsonObject original = first.awaitMessage("seen-1");
            String epoch = joined(first, room).getString("epoch");
            first.abort();

            try (ChatClient ann = connect("s-ann")) {
                ann.sendJson(join(room).put("since", original.getLong("seq")).put("epoch", epoch));
                joined(ann, room);
                ann.send(room, "hello again", "seen-1");

                assertThat(ann.awaitMessage("seen-1")).isEqualTo(original);
                barrier(ann, room, bob);
                assertThat(ann.messagesWithId("seen-1")).hasSize(1);
                assertThat(bob.messagesWithId("seen-1")).containsExactly(original);
                assertThat(bob.seqsIn(room))
                        .containsExactlyElementsOf(range(original.getLong("seq"), 2));
            }
        }
    }

    @Test
    void aResendFromAnotherConnectionOfTheSameUserIsAnsweredOnThatConnectionOnly() {
        String room = "idem-phone";
        try (ChatClient laptop = connect("p-ann").join(room);
                ChatClient phone = connect("p-ann").join(room);
                ChatClient bob = connect("p-bob").join(room)) {
            laptop.send(room, "sent from the laptop", "twice-1");
            JsonObject original = bob.awaitMessage("twice-1");
            phone.awaitMessage("twice-1");

            phone.send(room, "sent from the laptop", "twice-1");

            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> phone.messagesWithId("twice-1").size() == 2);
            barrier(bob, room, laptop, phone);
            assertThat(phone.messagesWithId("twice-1")).containsOnly(original);
            assertThat(laptop.messagesWithId("twice-1")).containsExactly(original);
            assertThat(bob.messagesWithId("twice-1")).containsExactly(original);
        }
    }

    @Test
    void twoConnectionsRacingWithTheSameIdsPostEachOnce() throws Exception {
        String room = "idem-race";
        int sends = 50;
        try (ChatClient laptop = connect("r-ann").join(room);
                ChatClient phone = connect("r-ann").join(room);
                ChatClient bob = connect("r-bob").join(room)) {
            CompletableFuture<Void> fromLaptop =
                    CompletableFuture.runAsync(() -> sendNumbered(laptop, room, sends));
            CompletableFuture<Void> fromPhone =
                    CompletableFuture.runAsync(() -> sendNumbered(phone, room, sends));
            CompletableFuture.allOf(fromLaptop, fromPhone)
                    .get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            // Each id's message reaches both connections, and one of them also gets the answer to
            // its resend.
            for (int n = 1; n <= sends; n++) {
                String id = "race-" + n;
                await().atMost(ChatClient.TIMEOUT)
                        .until(
                                () ->
                                        laptop.messagesWithId(id).size()
                                                        + phone.messagesWithId(id).size()
                                                == 3);
            }
            barrier(bob, room, laptop, phone);
            List<JsonObject> posted = withoutBarriers(bob.messagesIn(room));
            assertThat(posted)
                    .extracting(frame -> frame.getString("id"))
                    .doesNotHaveDuplicates()
                    .hasSize(sends);
            assertThat(posted)
                    .extracting(frame -> frame.getLong("seq"))
                    .containsExactlyElementsOf(range(1, sends));
            for (JsonObject message : posted) {
                assertThat(laptop.messagesWithId(message.getString("id"))).containsOnly(message);
                assertThat(phone.messagesWithId(message.getString("id"))).containsOnly(message);
            }
        }
    }

    @Test
    void anIdReusedForAnotherTextIsRefusedAndPostsNothing() {
        String room = "idem-reused";
        try (ChatClient ann = connect("u-ann").join(room);
                ChatClient bob = connect("u-bob").join(room)) {
            ann.send(room, "the first text", "reused-1");
            JsonObject original = bob.awaitMessage("reused-1");

            ann.send(room, "a different wording", "reused-1");

            JsonObject error = ann.awaitError("reused-1");
            assertThat(error.getString("code")).isEqualTo("id_reused");
            assertThat(error.getString("message")).doesNotContain("a different wording");
            barrier(ann, room, bob);
            assertThat(bob.messagesWithId("reused-1")).containsExactly(original);
            assertThat(ann.messagesWithId("reused-1")).containsExactly(original);
        }
    }

    @Test
    void theSameIdByAnotherUserOrInAnotherRoomIsAnotherMessage() {
        try (ChatClient ann = connect("o-ann").join("idem-here").join("idem-there");
                ChatClient bob = connect("o-bob").join("idem-here").join("idem-there")) {
            ann.send("idem-here", "same words", "shared-1");
            ann.send("idem-there", "same words", "shared-1");
            bob.send("idem-here", "same words", "shared-1");

            barrier(ann, "idem-here", bob);
            barrier(ann, "idem-there", bob);
            assertThat(withoutBarriers(bob.messagesIn("idem-here")))
                    .extracting(frame -> frame.getString("from"))
                    .containsExactlyInAnyOrder("o-ann", "o-bob");
            assertThat(withoutBarriers(bob.messagesIn("idem-there")))
                    .extracting(frame -> frame.getString("id"))
                    .containsExactly("shared-1");
        }
    }

    @Test
    void sendsWithoutAnIdAreNeverTakenForResends() {
        String room = "idem-anonymous";
        try (ChatClient ann = connect("n-ann").join(room);
                ChatClient bob = connect("n-bob").join(room)) {
            ann.sendJson(
                    new JsonObject().put("type", "send").put("room", room).put("text", "again"));
            ann.sendJson(
                    new JsonObject().put("type", "send").put("room", room).put("text", "again"));

            barrier(ann, room, bob);
            assertThat(withoutBarriers(bob.messagesIn(room)))
                    .extracting(frame -> frame.getString("text"))
                    .containsExactly("again", "again");
        }
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }

    private static JsonObject join(String room) {
        return new JsonObject().put("type", "join").put("room", room);
    }

    private static JsonObject send(String room, String text, String id) {
        return new JsonObject()
                .put("type", "send")
                .put("room", room)
                .put("text", text)
                .put("id", id);
    }

    private static void sendNumbered(ChatClient client, String room, int count) {
        for (int n = 1; n <= count; n++) {
            client.send(room, "race " + n, "race-" + n);
        }
    }

    /** A last message, so that everything its sender sent before has reached every reader. */
    private static void barrier(ChatClient sender, String room, ChatClient... readers) {
        String id = BARRIER + BARRIERS.incrementAndGet();
        sender.send(room, "barrier", id);
        sender.awaitMessage(id);
        for (ChatClient reader : readers) {
            reader.awaitMessage(id);
        }
    }

    private static List<JsonObject> withoutBarriers(List<JsonObject> messages) {
        return messages.stream()
                .filter(frame -> !frame.getString("id", "").startsWith(BARRIER))
                .collect(Collectors.toList());
    }

    private static JsonObject joined(ChatClient client, String room) {
        return client.awaitFrame(
                frame ->
                        "joined".equals(frame.getString("type"))
                                && room.equals(frame.getString("room")));
    }

    private static List<Long> range(long first, int count) {
        return LongStream.range(first, first + count).boxed().collect(Collectors.toList());
    }
}
