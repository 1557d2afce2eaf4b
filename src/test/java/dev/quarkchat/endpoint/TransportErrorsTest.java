package dev.quarkchat.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.metrics.DisconnectReason;
import dev.quarkchat.protocol.CloseCodes;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class TransportErrorsTest {

    private static final int MAX_MESSAGE_BYTES = 100;
    private static final long TIMEOUT_SECONDS = 10;

    @Test
    void aConnectionThePeerEndedIsAlreadyGone() {
        for (Throwable lost :
                new Throwable[] {
                    new HttpClosedException("Connection was closed"),
                    new SocketException("Connection reset"),
                    new IOException("Broken pipe")
                }) {
            TransportErrors.CloseDecision decision = TransportErrors.classify(lost);

            assertThat(decision.closeWith()).as("%s", lost).isEmpty();
            assertThat(decision.text()).isEqualTo("connection lost");
            assertThat(decision.unexpected()).isFalse();
        }
    }

    @Test
    void aFrameTheDecoderRefusedIsAlreadyGone() {
        TransportErrors.CloseDecision decision =
                TransportErrors.classify(
                        new CorruptedWebSocketFrameException(
                                WebSocketCloseStatus.PROTOCOL_ERROR, "unmasked client frame"));

        assertThat(decision.closeWith()).isEmpty();
        assertThat(decision.text()).isEqualTo("frame refused by the decoder");
        assertThat(decision.unexpected()).isFalse();
    }

    /**
     * What Vert.x itself raises, taken from a real server, so that a Vert.x that words it otherwise
     * fails here.
     */
    @Test
    void aMessageOverVertxsSizeLimitIsClosedWith1009() throws Exception {
        TransportErrors.CloseDecision decision =
                TransportErrors.classify(vertxFailureOnAMessageTooBig());

        assertThat(decision.closeWith()).contains(DisconnectReason.PROTOCOL_VIOLATION);
        assertThat(decision.code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        assertThat(decision.text()).isEqualTo("message too big");
        assertThat(decision.unexpected()).isFalse();
    }

    @Test
    void anythingElseIsAnUnexpectedServerError() {
        for (Throwable other :
                new Throwable[] {
                    new IllegalStateException("WebSocket is closed"),
                    new NullPointerException(),
                    new RuntimeException("boom")
                }) {
            TransportErrors.CloseDecision decision = TransportErrors.classify(other);

            assertThat(decision.closeWith())
                    .as("%s", other)
                    .isEqualTo(Optional.of(DisconnectReason.SERVER_ERROR));
            assertThat(decision.code()).isEqualTo(CloseCodes.INTERNAL_ERROR);
            assertThat(decision.unexpected()).isTrue();
        }
    }

    private static Throwable vertxFailureOnAMessageTooBig() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            HttpServer server =
                    vertx.createHttpServer(
                                    new HttpServerOptions()
                                            .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES))
                            .webSocketHandler(
                                    socket ->
                                            socket.textMessageHandler(text -> {})
                                                    .exceptionHandler(failure::complete));
            server.listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            WebSocketClient client = vertx.createWebSocketClient();
            client.connect(server.actualPort(), "127.0.0.1", "/")
                    .compose(socket -> socket.writeTextMessage("x".repeat(MAX_MESSAGE_BYTES + 1)));
            return failure.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            vertx.close();
        }
    }
}
