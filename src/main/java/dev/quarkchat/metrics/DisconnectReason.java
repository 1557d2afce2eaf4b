package dev.quarkchat.metrics;

/**
 * Why a connection ended: the {@code reason} label of {@code chat_connections_closed_total}. A
 * small fixed set, so that the metric's cardinality stays bounded.
 */
public enum DisconnectReason {

    /** The client sent a close frame. */
    CLIENT_CLOSED("client_closed"),
    /** The TCP connection ended without a close frame (network loss, crashed client). */
    CONNECTION_LOST("connection_lost"),
    /**
     * No pong (nor any frame) within {@code chat.keepalive.pong-timeout}: the socket was dropped.
     */
    PONG_TIMEOUT("pong_timeout"),
    /**
     * More than {@code chat.max-pending-bytes} queued for a client that does not read: the socket
     * was dropped.
     */
    SLOW_CONSUMER("slow_consumer"),
    /** The client broke the protocol (binary frame, message too big); closed with 1003 or 1009. */
    PROTOCOL_VIOLATION("protocol_violation"),
    /** The server hit an unexpected failure on the connection; closed with 1011. */
    SERVER_ERROR("server_error"),
    /**
     * The client kept sending over its rate limit, or opened too many connections; closed with
     * 1008.
     */
    ABUSE("abuse"),
    /** The token expired; closed with 1008 so that the client reconnects with a fresh one. */
    TOKEN_EXPIRED("token_expired"),
    /** A moderator disconnected or banned the user; closed with 4000 or 4003. */
    MODERATOR("moderator"),
    /** The server is shutting down; closed with 1001 so that the client reconnects elsewhere. */
    SERVER_SHUTDOWN("server_shutdown");

    private final String label;

    DisconnectReason(String label) {
        this.label = label;
    }

    /** The Prometheus label value. */
    public String label() {
        return label;
    }
}
