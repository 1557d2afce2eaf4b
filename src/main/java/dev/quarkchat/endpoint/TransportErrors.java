package dev.quarkchat.endpoint;

import dev.quarkchat.metrics.DisconnectReason;
import dev.quarkchat.protocol.CloseCodes;
import dev.quarkchat.transport.TransportFailure;

import java.util.Optional;

/** Maps a failure reported by the WebSocket transport to how the connection ends. */
public final class TransportErrors {

    /**
     * How to end the connection, and whether the failure is one we did not expect.
     *
     * @param closeWith the reason to close with, or empty when the connection is already gone
     * @param code the close code to send, when there is one
     */
    public record CloseDecision(
            Optional<DisconnectReason> closeWith, short code, String text, boolean unexpected) {

        static CloseDecision alreadyGone(String text) {
            return new CloseDecision(Optional.empty(), (short) 0, text, false);
        }
    }

    private TransportErrors() {}

    static CloseDecision classify(Throwable failure) {
        return switch (TransportFailure.of(failure)) {
            case CONNECTION_LOST -> CloseDecision.alreadyGone("connection lost");
            case FRAME_REFUSED -> CloseDecision.alreadyGone("frame refused by the decoder");
            case MESSAGE_TOO_BIG ->
                    new CloseDecision(
                            Optional.of(DisconnectReason.PROTOCOL_VIOLATION),
                            CloseCodes.MESSAGE_TOO_BIG,
                            "message too big",
                            false);
            case UNEXPECTED ->
                    new CloseDecision(
                            Optional.of(DisconnectReason.SERVER_ERROR),
                            CloseCodes.INTERNAL_ERROR,
                            "internal error",
                            true);
        };
    }
}
