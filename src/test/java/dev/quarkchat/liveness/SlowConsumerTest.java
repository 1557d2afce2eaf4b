package dev.quarkchat.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.quarkchat.chat.RoomRegistry;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A member that stops reading is dropped; the others keep getting every message meanwhile. */
@QuarkusTest
@TestProfile(SmallSendQueue.class)
class SlowConsumerTest {

    private static final String DROPPED = "chat_sockets_dropped_total{reason=\"slow_consumer\"}";
    private static final String ROOM = "firehose";
    /** A small receive window, so that the stuck reader pushes back after little data. */
    private static final int STUCK_RECEIVE_BUFFER = 4096;
    private static final String BIG_TEXT = "x".repeat(4000);
    /** Far more than the TCP buffers plus max-pending-bytes can hold; the loop stops once the drop is seen. */
    private static final int MAX_MESSAGES = 5_000;
    /** Well under max-pending-bytes, so that a member who reads never comes near it. */
    private static final int BATCH = 8;

    @TestHTTPResource("/")
    URI base;

    @Inject
    RoomRegistry rooms;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void aReaderThatStopsReadingIsDroppedWhileTheOthersGetEverything() throws IOException {
        double dropped = metrics.value(DROPPED);
        try (ChatClient talker = ChatClient.connect(base, TestTokens.valid("s-talker")).join(ROOM);
                ChatClient listener = ChatClient.connect(base, TestTokens.valid("s-listener")).join(ROOM);
                RawWebSocket stuck = RawWebSocket.connect(base, TestTokens.valid("s-stuck"), STUCK_RECEIVE_BUFFER)) {
            stuck.writeText("{\"type\":\"join\",\"room\":\"" + ROOM + "\"}");
            await().atMost(ChatClient.TIMEOUT).until(() -> rooms.memberNames(ROOM).contains("s-stuck"));

            List<String> sent = new ArrayList<>();
            while (sent.size() < MAX_MESSAGES && metrics.value(DROPPED) == dropped) {
                for (int i = 0; i < BATCH; i++) {
                    String id = "flood-" + sent.size();
                    talker.send(ROOM, BIG_TEXT, id);
                    sent.add(id);
                }
                // The members who read keep up batch by batch; only the stuck one falls behind.
                listener.awaitMessage(sent.get(sent.size() - 1));
                talker.awaitMessage(sent.get(sent.size() - 1));
            }

            assertThat(metrics.value(DROPPED)).isEqualTo(dropped + 1);
            await().atMost(ChatClient.TIMEOUT).until(() -> !rooms.memberNames(ROOM).contains("s-stuck"));
            for (String id : sent) {
                listener.awaitMessage(id);
            }
            assertThat(listener.framesOfType("message")).filteredOn(frame -> ROOM.equals(frame.getString("room")))
                    .hasSize(sent.size());
            assertThat(stuck.readUntilEnd()).as("the stuck reader's connection ends").isNotNull();
        }
    }
}
