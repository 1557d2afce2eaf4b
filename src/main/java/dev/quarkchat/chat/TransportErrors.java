package dev.quarkchat.chat;

import java.io.IOException;

import dev.quarkchat.protocol.CloseCodes;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.HttpClosedException;

/** Maps a failure reported by the WebSocket transport to the close code the client gets. */
final class TransportErrors {

    /** The connection is already gone: there is nobody to send a close frame to. */
    static final short NONE = 0;

    /**
     * How to end the connection, and whether the failure is one we did not expect.
     *
     * @param code the close code to send, or {@link #NONE}
     */
    record CloseDecision(short code, String reason, boolean unexpected) {
    }

    private TransportErrors() {
    }

    static CloseDecision classify(Throwable failure) {
        if (failure instanceof HttpClosedException || failure instanceof IOException) {
            // The peer closed or reset the TCP connection: routine for mobile clients and crashed browsers.
            return new CloseDecision(NONE, "connection lost", false);
        }
        if (failure instanceof CorruptedWebSocketFrameException) {
            // Netty's frame decoder refused a frame (over max-frame-size, or malformed); Vert.x drops the TCP
            // connection at once, without a close frame.
            return new CloseDecision(NONE, "frame refused by the decoder", false);
        }
        if (failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size")) {
            // Vert.x reports a message (one frame or reassembled fragments) over max-message-size this way.
            return new CloseDecision(CloseCodes.MESSAGE_TOO_BIG, "message too big", false);
        }
        return new CloseDecision(CloseCodes.INTERNAL_ERROR, "internal error", true);
    }
}
