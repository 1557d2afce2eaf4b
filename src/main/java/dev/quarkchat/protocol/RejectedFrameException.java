package dev.quarkchat.protocol;

import java.util.Optional;

/**
 * A client frame that breaks the protocol; it becomes an {@code error} frame, never a closed
 * connection.
 */
public final class RejectedFrameException extends Exception {

    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final transient Optional<String> ref;

    public RejectedFrameException(ErrorCode code, String message, Optional<String> ref) {
        // No stack trace: this is an expected outcome of bad input, and it is never shown anywhere.
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
    }

    public ErrorCode code() {
        return code;
    }

    /** The {@code id} of the offending frame, when it had a valid one. */
    public Optional<String> ref() {
        return ref;
    }
}
