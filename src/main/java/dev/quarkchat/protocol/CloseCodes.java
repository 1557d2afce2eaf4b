package dev.quarkchat.protocol;

/**
 * WebSocket close codes (RFC 6455, section 7.4.1) the server uses, and why. The full table is in
 * {@code docs/protocol.md}.
 */
public final class CloseCodes {

    /** The server is shutting down: reconnect, to another instance if there is one. */
    public static final short GOING_AWAY = 1001;

    /** The client sent a binary frame; the protocol is JSON text frames only. */
    public static final short UNSUPPORTED_DATA = 1003;

    /**
     * The connection broke a policy: its token expired, it kept sending over its rate limit, or its
     * user holds too many connections. The reason text says which.
     */
    public static final short POLICY_VIOLATION = 1008;

    /** A frame or a reassembled message was larger than the configured maximum. */
    public static final short MESSAGE_TOO_BIG = 1009;

    /** The server hit an unexpected condition on this connection. */
    public static final short INTERNAL_ERROR = 1011;

    /**
     * A moderator disconnected the user (a private-use code, RFC 6455 section 7.4.2): every
     * connection of the user, on every instance. The user may connect again.
     */
    public static final short DISCONNECTED = 4000;

    /**
     * A moderator banned the user from the chat: every connection of the user closes, and upgrades
     * are refused with 403 until the ban ends or is lifted. Private use, like {@link
     * #DISCONNECTED}; 4003 echoes HTTP 403.
     */
    public static final short BANNED = 4003;

    /** The client stopped reading ("try again later"): the server will not queue more for it. */
    public static final short TRY_AGAIN_LATER = 1013;

    private CloseCodes() {}
}
