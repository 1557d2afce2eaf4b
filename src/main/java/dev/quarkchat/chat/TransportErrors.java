package dev.quarkchat.chat;

import java.io.IOException;
import java.util.Optional;

import dev.quarkchat.protocol.CloseCodes;
import dev.quarkchat.metrics.DisconnectReason;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.HttpClosedException;

/** Maps a failure reported by the WebSocket transport to how the connection ends. */
public final class TransportErrors {

    /**
     * How to end the connection, and whether the failure is one we did not expect.
     *
     * @param closeWith the reason to close with, or empty when the connection is already gone
     * @param code the close code to send, when there is one
     */
    public record CloseDecision(Optional<DisconnectReason> closeWith, short code, String text, boolean unexpected) {

        static CloseDecision alreadyGone(String text) {
            return new CloseDecision(Optional.empty(), (short) 0, text, false);
        }
    }

    private TransportErrors() {
    }

    public static CloseDecision classify(Throwable failure) {
        if (failure instanceof HttpClosedException || failure instanceof IOException) {
            // The peer closed or reset the TCP connection: routine for mobile clients and crashed browsers.
            return CloseDecision.alreadyGone("connection lost");
        }
        if (failure instanceof CorruptedWebSocketFrameException) {
            // Netty's frame decoder refused a malformed frame; Vert.x drops the TCP connection at once, without a
            // close frame. (One over max-frame-size never gets here: ChatSocketPipeline closes it with 1009.)
            return CloseDecision.alreadyGone("frame refused by the decoder");
        }
        if (failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size")) {
            // Vert.x reports a message (one frame or reassembled fragments) over max-message-size this way, should
            // one have begun before ChatSocketPipeline's guard was in place.
            return new CloseDecision(Optional.of(DisconnectReason.PROTOCOL_VIOLATION), CloseCodes.MESSAGE_TOO_BIG,
                    "message too big", false);
        }
        return new CloseDecision(Optional.of(DisconnectReason.SERVER_ERROR), CloseCodes.INTERNAL_ERROR, "internal error",
                true);
    }
}
