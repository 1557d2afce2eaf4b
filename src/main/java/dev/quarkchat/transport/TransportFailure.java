package dev.quarkchat.transport;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.HttpClosedException;

import java.io.IOException;

/**
 * What a failure reported by the WebSocket transport (to {@code @OnError}) says happened to the
 * connection.
 */
public enum TransportFailure {

    /**
     * The peer closed or reset the TCP connection: routine for mobile clients and crashed browsers.
     */
    CONNECTION_LOST,
    /**
     * Netty's frame decoder refused a malformed frame; Vert.x drops the TCP connection at once,
     * without a close frame. (One over {@code max-frame-size} never gets here: {@link
     * MessageSizeGuard} takes it.)
     */
    FRAME_REFUSED,
    /** A message (one frame or reassembled fragments) went over {@code max-message-size}. */
    MESSAGE_TOO_BIG,
    /** Anything else. */
    UNEXPECTED;

    /**
     * Vert.x 4 reports a message over its size limit as a bare {@link IllegalStateException}, with
     * no type of its own, so only its text tells it apart; it can only happen to a message begun
     * before {@link MessageSizeGuard} was in place, which measures every later one itself.
     */
    private static final String VERTX_MESSAGE_TOO_BIG = "max message size";

    public static TransportFailure of(Throwable failure) {
        if (failure instanceof HttpClosedException || failure instanceof IOException) {
            return CONNECTION_LOST;
        }
        if (failure instanceof CorruptedWebSocketFrameException) {
            return FRAME_REFUSED;
        }
        if (failure instanceof IllegalStateException
                && String.valueOf(failure.getMessage()).contains(VERTX_MESSAGE_TOO_BIG)) {
            return MESSAGE_TOO_BIG;
        }
        return UNEXPECTED;
    }
}
