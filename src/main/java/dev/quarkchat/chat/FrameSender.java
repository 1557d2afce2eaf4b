package dev.quarkchat.chat;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Queues frames on connections without waiting for them to be written, so that neither the caller's event
 * loop nor a room's broadcast ever blocks on a slow socket.
 */
@ApplicationScoped
public class FrameSender {

    private static final Logger LOG = Logger.getLogger(FrameSender.class);

    /** Queues one text frame; a connection that closed meanwhile simply misses it. */
    public void send(WebSocketConnection connection, String frame) {
        connection.sendText(frame).subscribe().with(
                written -> {
                },
                failure -> LOG.debugf("Frame not written to %s: %s", connection.id(), failure.toString()));
    }

    /** Starts the closing handshake with a documented close code. */
    public void close(WebSocketConnection connection, short code, String reason) {
        if (connection.isClosed()) {
            return;
        }
        connection.close(new CloseReason(code, reason)).subscribe().with(
                closed -> {
                },
                failure -> LOG.debugf("Close of %s failed: %s", connection.id(), failure.toString()));
    }
}
