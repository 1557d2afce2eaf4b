package dev.quarkchat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.room.RoomRegistry;
import dev.quarkchat.session.ChatSessions;
import dev.quarkchat.testing.ChatClient;
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
import java.time.Duration;

/**
 * A peer that stops answering pings is dropped; one that answers stays, however long it is quiet.
 */
@QuarkusTest
@TestProfile(ShortTimeouts.class)
class KeepaliveTest {

    private static final String DROPPED = "chat_sockets_dropped_total{reason=\"pong_timeout\"}";
    private static final String CLOSED = "chat_connections_closed_total{reason=\"pong_timeout\"}";

    @TestHTTPResource("/")
    URI base;

    @Inject ChatSessions sessions;

    @Inject RoomRegistry rooms;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void aClientThatNeverAnswersPingsIsDroppedWithinIntervalPlusTimeoutAndLeavesNoTrace()
            throws IOException {
        try (ChatClient watcher =
                ChatClient.connect(base, TestTokens.valid("k-watcher")).join("campfire")) {
            int sessionsBefore = sessions.size();
            double dropped = metrics.value(DROPPED);
            double closed = metrics.value(CLOSED);

            long connectedAt = System.nanoTime();
            try (RawWebSocket silent = RawWebSocket.connect(base, TestTokens.valid("k-silent"))) {
                silent.writeText("{\"type\":\"join\",\"room\":\"campfire\"}");
                watcher.awaitFrame(
                        frame ->
                                "presence".equals(frame.getString("type"))
                                        && "k-silent".equals(frame.getString("user"))
                                        && "join".equals(frame.getString("event")));

                assertThat(silent.readUntilEnd())
                        .as("close code; none when the socket is dropped")
                        .isEmpty();
                Duration alive = Duration.ofNanos(System.nanoTime() - connectedAt);
                assertThat(alive)
                        .isGreaterThanOrEqualTo(ShortTimeouts.PONG_TIMEOUT)
                        .isLessThanOrEqualTo(
                                ShortTimeouts.PING_INTERVAL.plus(ShortTimeouts.PONG_TIMEOUT));
            }

            watcher.awaitFrame(
                    frame ->
                            "presence".equals(frame.getString("type"))
                                    && "k-silent".equals(frame.getString("user"))
                                    && "leave".equals(frame.getString("event")));
            await().atMost(ChatClient.TIMEOUT).until(() -> sessions.size() == sessionsBefore);
            assertThat(rooms.memberNames("campfire")).containsExactly("k-watcher");
            assertThat(rooms.memberNames("lobby")).doesNotContain("k-silent");
            assertThat(metrics.value(DROPPED)).isEqualTo(dropped + 1);
            assertThat(metrics.value(CLOSED)).isEqualTo(closed + 1);
        }
    }

    @Test
    void aClientThatAnswersPingsStaysConnectedAcrossSeveralTimeouts() {
        try (ChatClient quiet = ChatClient.connect(base, TestTokens.valid("k-quiet"))) {
            Duration threeTimeouts = ShortTimeouts.PONG_TIMEOUT.multipliedBy(3);

            await().during(threeTimeouts)
                    .atMost(threeTimeouts.plusSeconds(1))
                    .until(() -> rooms.memberNames("lobby").contains("k-quiet"));

            quiet.send("lobby", "still here", "quiet-1");
            quiet.awaitMessage("quiet-1");
        }
    }
}
