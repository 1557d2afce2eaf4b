package dev.quarkchat.protocol;

/**
 * The HTTP status codes the service answers with, named once: the upgrade's refusals (documented in
 * docs/protocol.md) and the dev token route's. The JDK names only some of them, and Netty's names
 * sit below the transport adapter.
 */
public final class HttpStatus {

    /** The upgrade was accepted: the WebSocket is open. */
    public static final int SWITCHING_PROTOCOLS = 101;

    public static final int BAD_REQUEST = 400;

    /** No token, or one that is not valid. */
    public static final int UNAUTHORIZED = 401;

    /** A browser page from an origin that is not allowed. */
    public static final int FORBIDDEN = 403;

    /**
     * A token whose user name breaks the name rule. Not 400: Vert.x answers that to malformed
     * upgrades, and {@code chat_handshakes_rejected_total} tells them apart.
     */
    public static final int UNPROCESSABLE_CONTENT = 422;

    /** Too many upgrades from one address. */
    public static final int TOO_MANY_REQUESTS = 429;

    /** The instance is shutting down. */
    public static final int SERVICE_UNAVAILABLE = 503;

    private HttpStatus() {}
}
