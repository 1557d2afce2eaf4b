package dev.quarkchat.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.Canaries;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A message over the limits (16 KiB a message, 64 KiB a frame) ends its connection with close 1009
 * whatever its size, sent as one frame or as many continuation frames: a close frame, then the
 * server closes the TCP connection without reading the rest. The members of the lobby keep talking.
 */
@QuarkusTest
class OversizedMessageTest {

    private static final int KIB = 1024;
    private static final int MAX_MESSAGE_BYTES = 16 * KIB;
    private static final int MAX_FRAME_BYTES = 64 * KIB;
    private static final long TEN_MIB = 10L * KIB * KIB;

    /** Each fragment is well within both limits: only the message they make is too big. */
    private static final int FRAGMENT_BYTES = 4 * KIB;

    /**
     * Well below Vert.x's closing timeout (10 s), after which a server that waits for the client's
     * answer to its close frame gives up too; this server does not wait.
     */
    private static final Duration TRANSPORT_END = Duration.ofSeconds(5);

    private static final String PROTOCOL_VIOLATIONS =
            "chat_connections_closed_total{reason=\"protocol_violation\"}";

    @TestHTTPResource("/")
    URI base;

    private final Metrics metrics = Metrics.ofTestedService();
    private Canaries canaries;

    @BeforeEach
    void connectCanaries() {
        canaries = Canaries.connect(base, "big-canary");
    }

    @AfterEach
    void canariesStillTalk() {
        canaries.assertStillTalkingAndLeave();
    }

    static Stream<Arguments> oversizedMessages() {
        return Stream.of(
                Arguments.of("16 KiB + 1", MAX_MESSAGE_BYTES + 1L),
                Arguments.of("64 KiB + 1", MAX_FRAME_BYTES + 1L),
                Arguments.of("1 MiB", (long) KIB * KIB),
                Arguments.of("10 MiB", TEN_MIB));
    }

    @ParameterizedTest(name = "{0} in one frame -> 1009")
    @MethodSource("oversizedMessages")
    void anOversizedFrameClosesWith1009(String description, long bytes) throws IOException {
        double closed = metrics.value(PROTOCOL_VIOLATIONS);
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("big-sender"))) {
            long written = raw.streamFrame(RawWebSocket.OPCODE_TEXT, true, bytes, (byte) 'x');

            assertEndsWith1009(raw, bytes, written);
        }
        awaitCounted(closed);
    }

    @ParameterizedTest(name = "{0} in continuation frames of 4 KiB -> 1009")
    @MethodSource("oversizedMessages")
    void anOversizedFragmentedMessageClosesWith1009(String description, long bytes)
            throws IOException {
        double closed = metrics.value(PROTOCOL_VIOLATIONS);
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("big-sender"))) {
            long written = 0;
            boolean serverReads = true;
            while (written < bytes && serverReads) {
                long fragment = Math.min(FRAGMENT_BYTES, bytes - written);
                int opcode =
                        written == 0 ? RawWebSocket.OPCODE_TEXT : RawWebSocket.OPCODE_CONTINUATION;
                long sent =
                        raw.streamFrame(opcode, written + fragment == bytes, fragment, (byte) 'x');
                written += sent;
                serverReads = sent == fragment;
            }

            assertEndsWith1009(raw, bytes, written);
        }
        awaitCounted(closed);
    }

    /** The server counted the connection as closed for breaking the protocol, not as lost. */
    private void awaitCounted(double closedBefore) {
        await().atMost(ChatClient.TIMEOUT)
                .until(() -> metrics.value(PROTOCOL_VIOLATIONS) == closedBefore + 1);
    }

    /**
     * The close frame came with 1009 and the server closed the TCP connection itself. Of 10 MiB, it
     * cannot have read everything: once it refused the message it stopped reading, so the client
     * could write no more than the sockets' buffers hold before the server hung up.
     */
    private static void assertEndsWith1009(RawWebSocket raw, long bytes, long written)
            throws IOException {
        assertThat(raw.readCloseCode()).isEqualTo(1009);
        assertThat(raw.transportEndsWithin(TRANSPORT_END))
                .as("the server closed the TCP connection")
                .isTrue();
        if (bytes >= TEN_MIB) {
            assertThat(written)
                    .as("bytes the client could write before the server hung up")
                    .isLessThan(bytes);
        }
    }
}
