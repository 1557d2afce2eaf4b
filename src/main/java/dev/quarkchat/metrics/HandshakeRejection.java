package dev.quarkchat.metrics;

/**
 * Why an upgrade to {@code /chat} was refused, or a connection closed before it made one: the
 * {@code reason} label of {@code chat_handshakes_rejected_total}.
 */
public enum HandshakeRejection {

    /**
     * HTTP 401: no token, or one that is malformed, badly signed, expired, from another issuer,
     * without any of the name claims of {@code chat.user-name.claims}, or longer-lived than {@code
     * smallrye.jwt.time-to-live}.
     */
    UNAUTHENTICATED("unauthenticated", 401),
    /**
     * HTTP 403: authenticated but not allowed (for example a browser origin not on the allow-list).
     */
    FORBIDDEN("forbidden", 403),
    /**
     * HTTP 422: a genuine token whose user name is not accepted (control or invisible characters,
     * too long; see {@link dev.quarkchat.protocol.UserName}). Not 400, which Vert.x answers to
     * malformed upgrade requests.
     */
    INVALID_USER_NAME("invalid_user_name", 422),
    /** HTTP 429: too many handshakes. */
    RATE_LIMITED("rate_limited", 429),
    /** HTTP 503: the instance is shutting down. */
    SHUTTING_DOWN("shutting_down", 503),
    /**
     * No answer: the client address already held {@code chat.handshake.max-pending-per-address}
     * connections.
     */
    TOO_MANY_PENDING("too_many_pending", HandshakeRejection.NO_STATUS),
    /**
     * No answer: the connection's first request head did not arrive within {@code
     * chat.handshake.head-timeout}.
     */
    HEAD_TIMEOUT("head_timeout", HandshakeRejection.NO_STATUS),
    /** Any other refusal (a malformed upgrade request, a server error). */
    OTHER("other", HandshakeRejection.NO_STATUS);

    /** Reasons that no single HTTP status stands for (no answer at all, or any other status). */
    private static final int NO_STATUS = 0;

    private final String label;
    private final int status;

    HandshakeRejection(String label, int status) {
        this.label = label;
        this.status = status;
    }

    public String label() {
        return label;
    }

    /** The reason for an HTTP status that answered an upgrade request instead of 101. */
    public static HandshakeRejection forStatus(int status) {
        for (HandshakeRejection rejection : values()) {
            if (rejection.status != NO_STATUS && rejection.status == status) {
                return rejection;
            }
        }
        return OTHER;
    }
}
