package dev.quarkchat.session;

import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.DisconnectReason;
import dev.quarkchat.protocol.CloseCodes;
import dev.quarkchat.protocol.ErrorCode;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.ServerFrames;

import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Queues frames on connections without waiting for them to be written, so that neither the caller's
 * event loop nor a room's broadcast ever blocks on a slow socket, and ends connections. Each frame
 * is encoded once ({@link OutboundFrame}) and its bytes are shared by every socket it goes to.
 *
 * <p>Every queued frame counts against its connection until the socket has written it out. A client
 * that stops reading lets that count grow; past {@code chat.max-pending-bytes} its socket is
 * dropped, so one stuck reader can neither grow the server's memory without bound nor hold up its
 * rooms.
 */
@ApplicationScoped
public class FrameSender {

    private static final Logger LOG = Logger.getLogger(FrameSender.class);

    private final ChatMetrics metrics;

    FrameSender(ChatMetrics metrics) {
        this.metrics = metrics;
    }

    /** Queues one text frame; a connection that is closing simply misses it. */
    public void send(ChatSession to, OutboundFrame frame) {
        if (to.isEnding()) {
            return;
        }
        if (!to.hasRoomFor(frame.bytes())) {
            drop(to, DisconnectReason.SLOW_CONSUMER);
            return;
        }
        to.writeText(frame.utf8());
    }

    public void send(ChatSession to, String frame) {
        send(to, OutboundFrame.of(frame));
    }

    /** Answers a client frame with a typed {@code error} frame, and counts it by its code. */
    public void refuse(ChatSession to, ErrorCode code, String message, Optional<String> ref) {
        metrics.messageRejected(code);
        send(to, ServerFrames.error(code, message, ref));
    }

    /** Starts the closing handshake with a documented close code. */
    public void close(ChatSession session, DisconnectReason reason, short code, String text) {
        closing(session, reason, code, text).ifPresent(close -> start(close, session));
    }

    /**
     * Ends a connection whose socket stopped reading: the close frame goes after every frame queued
     * before it, then the TCP connection closes at once. The client's answer to the close frame
     * would come after all it is still sending, which the server will not read.
     */
    public void closeUnread(ChatSession session, DisconnectReason reason, short code, String text) {
        Optional<Uni<Void>> closing = closing(session, reason, code, text);
        if (closing.isEmpty()) {
            // Already ending: a close frame it queued goes first.
            session.afterQueuedWrites(session::closeTransport);
            return;
        }
        closing.get()
                .subscribe()
                .with(
                        written -> session.closeTransport(),
                        failure -> {
                            LOG.debugf(
                                    "Close frame to %s not written: %s",
                                    session.id(), failure.toString());
                            session.closeTransport();
                        });
    }

    /**
     * The closing handshake with a documented close code, for the caller to run; empty if the
     * server is already ending this connection or it is closed. The close frame goes after every
     * frame queued before it.
     */
    public Optional<Uni<Void>> closing(
            ChatSession session, DisconnectReason reason, short code, String text) {
        if (!session.markEndedByServer(reason) || session.connection().isClosed()) {
            return Optional.empty();
        }
        CloseReason closeReason = new CloseReason(code, text);
        return Optional.of(
                Uni.createFrom()
                        .emitter(
                                closed ->
                                        session.afterQueuedWrites(
                                                () ->
                                                        session.connection()
                                                                .close(closeReason)
                                                                .subscribe()
                                                                .with(
                                                                        closed::complete,
                                                                        closed::fail))));
    }

    /**
     * Drops a socket that is dead ({@link DisconnectReason#PONG_TIMEOUT}) or does not read ({@link
     * DisconnectReason#SLOW_CONSUMER}) without waiting for a close handshake it would never answer.
     * A slow reader is first offered close code 1013, which reaches it only if it still has room to
     * read.
     */
    public void drop(ChatSession session, DisconnectReason reason) {
        if (!session.markEndedByServer(reason)) {
            return;
        }
        metrics.socketDropped(reason);
        LOG.debugf(
                "Dropping connection %s of %s: %s",
                session.id(), LogSafe.escaped(session.user()), reason.label());
        if (reason == DisconnectReason.SLOW_CONSUMER) {
            start(
                    session.connection()
                            .close(new CloseReason(CloseCodes.TRY_AGAIN_LATER, "slow consumer")),
                    session);
        }
        session.closeTransport();
    }

    /**
     * Starts a closing handshake without waiting for it; a peer that is gone simply never answers.
     */
    private static void start(Uni<Void> close, ChatSession session) {
        close.subscribe()
                .with(
                        closed -> {},
                        failure ->
                                LOG.debugf(
                                        "Close frame to %s not written: %s",
                                        session.id(), failure.toString()));
    }
}
