package dev.quarkchat.chat;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import dev.quarkchat.protocol.CloseCodes;

/** Maps a failure reported by the WebSocket transport to the close code the client gets. */
final class TransportErrors {

    /** How to close the connection, and whether the failure is one we did not expect. */
    record CloseDecision(short code, String reason, boolean unexpected) {
    }

    private TransportErrors() {
    }

    static CloseDecision classify(Throwable failure) {
        if (failure instanceof CorruptedWebSocketFrameException corrupted) {
            // Netty's frame decoder: a frame over the size limit (1009), invalid UTF-8 (1007), or a protocol error (1002).
            short code = (short) corrupted.closeStatus().code();
            return new CloseDecision(code, reasonFor(code), false);
        }
        if (failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size")) {
            // Vert.x reports a reassembled (fragmented) message over the size limit this way.
            return new CloseDecision(CloseCodes.MESSAGE_TOO_BIG, reasonFor(CloseCodes.MESSAGE_TOO_BIG), false);
        }
        return new CloseDecision(CloseCodes.INTERNAL_ERROR, "internal error", true);
    }

    private static String reasonFor(short code) {
        switch (code) {
            case CloseCodes.MESSAGE_TOO_BIG:
                return "message too big";
            case CloseCodes.INVALID_PAYLOAD:
                return "text frame is not valid UTF-8";
            default:
                return "protocol error";
        }
    }
}
