package dev.quarkchat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.room.RoomRegistry;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Flood;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** A member that stops reading is dropped; the others keep getting every message meanwhile. */
@QuarkusTest
@TestProfile(SmallSendQueue.class)
class SlowConsumerTest {

    private static final String DROPPED = "chat_sockets_dropped_total{reason=\"slow_consumer\"}";
    private static final String ROOM = "firehose";

    /** A small receive window, so that the stuck reader pushes back after little data. */
    private static final int STUCK_RECEIVE_BUFFER = 4096;

    @TestHTTPResource("/")
    URI base;

    @Inject RoomRegistry rooms;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void aReaderThatStopsReadingIsDroppedWhileTheOthersGetEverything() throws IOException {
        double dropped = metrics.value(DROPPED);
        try (ChatClient talker = ChatClient.connect(base, TestTokens.valid("s-talker")).join(ROOM);
                ChatClient listener =
                        ChatClient.connect(base, TestTokens.valid("s-listener")).join(ROOM);
                RawWebSocket stuck =
                        RawWebSocket.connect(
                                base, TestTokens.valid("s-stuck"), STUCK_RECEIVE_BUFFER)) {
            stuck.writeText("{\"type\":\"join\",\"room\":\"" + ROOM + "\"}");
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> rooms.memberNames(ROOM).contains("s-stuck"));

            List<String> sent =
                    Flood.until(() -> metrics.value(DROPPED) > dropped, ROOM, talker, listener);

            assertThat(metrics.value(DROPPED)).isEqualTo(dropped + 1);
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> !rooms.memberNames(ROOM).contains("s-stuck"));
            for (String id : sent) {
                listener.awaitMessage(id);
            }
            assertThat(listener.framesOfType("message"))
                    .filteredOn(frame -> ROOM.equals(frame.getString("room")))
                    .hasSize(sent.size());
            assertThat(stuck.readUntilEnd())
                    .as("ends, dropped or after close code 1013")
                    .isIn(Optional.empty(), Optional.of(1013));
        }
    }
}
