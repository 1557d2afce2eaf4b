package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A client drops out while others keep sending, comes back with {@code since}, and ends with every
 * seq exactly once, in order: nothing lost and nothing doubled at the seam.
 */
@QuarkusTest
@TestProfile(SeamUnderLoadTest.DeepHistory.class)
class SeamUnderLoadTest {

    private static final String ROOM = "seam";
    private static final int MESSAGES = 600;
    private static final long DROP_AFTER_SEQ = 150;

    /** History deep enough to hold whatever is sent while the client is away. */
    public static class DeepHistory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.history.size", Integer.toString(MESSAGES));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void everySeqArrivesExactlyOnceAcrossAReconnect() throws Exception {
        try (ChatClient sender =
                ChatClient.connect(base, TestTokens.valid("seam-sender")).join(ROOM)) {
            ChatClient first = ChatClient.connect(base, TestTokens.valid("seam-reader")).join(ROOM);
            String epoch =
                    first.awaitFrame(
                                    frame ->
                                            "joined".equals(frame.getString("type"))
                                                    && ROOM.equals(frame.getString("room")))
                            .getString("epoch");

            CompletableFuture<Void> sending =
                    CompletableFuture.runAsync(
                            () -> {
                                for (int n = 1; n <= MESSAGES; n++) {
                                    sender.send(ROOM, "load " + n, "seam-" + n);
                                }
                            });
            first.awaitFrame(
                    frame ->
                            "message".equals(frame.getString("type"))
                                    && frame.getLong("seq") >= DROP_AFTER_SEQ);
            first.close();
            List<Long> beforeDrop = seqs(first);
            long lastSeen = beforeDrop.get(beforeDrop.size() - 1);
            assertThat(lastSeen).as("the reader dropped out mid-stream").isLessThan(MESSAGES);

            try (ChatClient second = ChatClient.connect(base, TestTokens.valid("seam-reader"))) {
                second.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", ROOM)
                                .put("since", lastSeen)
                                .put("epoch", epoch));
                sending.get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                second.awaitMessage("seam-" + MESSAGES);

                assertThat(
                                second.awaitFrame(
                                                frame ->
                                                        "joined".equals(frame.getString("type"))
                                                                && ROOM.equals(
                                                                        frame.getString("room")))
                                        .getBoolean("recovered"))
                        .isTrue();
                List<Long> all = new ArrayList<>(beforeDrop);
                all.addAll(seqs(second));
                assertThat(all)
                        .as("dropped after seq %d", lastSeen)
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, MESSAGES)
                                        .boxed()
                                        .collect(Collectors.toList()));
            }
        }
    }

    private static List<Long> seqs(ChatClient client) {
        return client.framesOfType("message").stream()
                .filter(frame -> ROOM.equals(frame.getString("room")))
                .map(frame -> frame.getLong("seq"))
                .collect(Collectors.toList());
    }
}
