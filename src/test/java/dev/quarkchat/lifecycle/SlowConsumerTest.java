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
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A member that stops reading is dropped; the others keep getting every message meanwhile. */
@QuarkusTest
@TestProfile(SmallSendQueue.class)
class SlowConsumerTest {

    private static final String DROPPED = "chat_sockets_dropped_total{reason=\"slow_consumer\"}";
    private static final String ROOM = "firehose";

    /** What {@link SmallSendQueue} sets {@code chat.max-pending-bytes} to. */
    private static final int SEND_QUEUE_BYTES = 65_536;

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

    @Test
    void aPageOfMoreThanHalfTheSendQueueComesInPiecesAndItsReaderStays() {
        String room = "big-pages";
        int count = 40;
        String text = "x".repeat(3000);
        double dropped = metrics.value(DROPPED);
        try (ChatClient reader =
                ChatClient.connect(base, TestTokens.valid("b-reader")).join(room)) {
            for (int i = 1; i <= count; i++) {
                reader.send(room, text, "big-" + i);
            }
            reader.awaitMessage("big-" + count);

            List<Long> read = new ArrayList<>();
            Long before = null;
            boolean more = true;
            int pages = 0;
            while (more) {
                JsonObject page = reader.history(room, before, count, "page-" + pages++);
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < page.getJsonArray("messages").size(); i++) {
                    seqs.add(page.getJsonArray("messages").getJsonObject(i).getLong("seq"));
                }
                assertThat(seqs).as("page %d", pages).isNotEmpty();
                assertThat(page.encode().length()).isLessThan(SEND_QUEUE_BYTES / 2 + 1000);
                read.addAll(0, seqs);
                before = seqs.get(0);
                more = page.getBoolean("more");
                assertThat(pages).isLessThanOrEqualTo(count);
            }

            assertThat(read).hasSize(count).isSorted().doesNotHaveDuplicates();
            assertThat(read.get(0)).isEqualTo(1L);
            assertThat(pages).isGreaterThan(2);
            assertThat(reader.closed()).isFalse();
            assertThat(metrics.value(DROPPED)).isEqualTo(dropped);
        }
    }
}
