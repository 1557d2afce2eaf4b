package dev.quarkchat.session;

import dev.quarkchat.metrics.DisconnectReason;
import dev.quarkchat.transport.NettyTransport;

import io.quarkus.websockets.next.WebSocketConnection;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One open connection of a signed-in user: the rooms it has joined, when it last showed it was
 * alive, and how much outbound data is queued for it and not yet written to its socket.
 */
public final class ChatSession {

    private final WebSocketConnection connection;
    private final NettyTransport.Socket socket;

    /**
     * Replaced whole by a refresh, on the connection's event loop; sweeps on other threads read it.
     */
    private volatile Credentials credentials;

    /**
     * A connection is in a few rooms ({@code chat.max-rooms-per-connection}) and joins or leaves
     * rarely, so an array copied on change: far smaller than a concurrent hash set, and every idle
     * socket holds one.
     */
    private final Set<String> rooms = new CopyOnWriteArraySet<>();

    private final AtomicReference<DisconnectReason> serverEndReason = new AtomicReference<>();
    private volatile long lastSeenNanos = System.nanoTime();
    private final TokenBucket inboundFrames;

    /** Frames refused in a row by the rate limit; only this connection's callbacks touch it. */
    private int rateViolations;

    /**
     * Whether this token's {@code expiring} notice went out; written on the event loop, read by the
     * sweep.
     */
    private volatile boolean expiryNoticeSent;

    /**
     * Whether a {@code refresh} is being verified; only this connection's event loop touches it.
     */
    private boolean refreshPending;

    ChatSession(
            WebSocketConnection connection,
            NettyTransport.Socket socket,
            Credentials credentials,
            TokenBucket inboundFrames) {
        this.connection = connection;
        this.socket = socket;
        this.credentials = credentials;
        this.inboundFrames = inboundFrames;
    }

    /**
     * Takes a frame from the rate limit.
     *
     * @return 0 if the frame may pass, else how many frames in a row have been refused, this one
     *     included
     */
    public int rateViolationsAfterFrame(long nowNanos) {
        rateViolations = inboundFrames.tryTake(nowNanos) ? 0 : rateViolations + 1;
        return rateViolations;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public String id() {
        return connection.id();
    }

    /**
     * The user name from the token ({@code upn}, else {@code preferred_username}, else {@code
     * sub}).
     */
    public String user() {
        return credentials.user();
    }

    /**
     * What the connection's token says: the latest token it was given, at the handshake or by a
     * refresh.
     */
    public Credentials credentials() {
        return credentials;
    }

    /**
     * Takes a refreshed token's credentials (same user); its own {@code expiring} notice is still
     * to come.
     */
    public void renew(Credentials refreshed) {
        credentials = refreshed;
        expiryNoticeSent = false;
    }

    public boolean expiryNoticeSent() {
        return expiryNoticeSent;
    }

    public void markExpiryNoticeSent() {
        expiryNoticeSent = true;
    }

    /**
     * Marks that a refresh is being verified.
     *
     * @return false if one already is
     */
    public boolean startRefresh() {
        if (refreshPending) {
            return false;
        }
        refreshPending = true;
        return true;
    }

    public void refreshDone() {
        refreshPending = false;
    }

    /** Names of the rooms this connection has joined. */
    public Set<String> rooms() {
        return rooms;
    }

    /** Records a sign of life: a pong or any frame from the client. */
    public void markSeen() {
        lastSeenNanos = System.nanoTime();
    }

    /**
     * Nanoseconds since the client last showed it was alive, as of {@code nowNanos} ({@link
     * System#nanoTime()}).
     */
    public long nanosSinceSeen(long nowNanos) {
        return nowNanos - lastSeenNanos;
    }

    /**
     * Whether {@code bytes} more may be queued for the socket within {@code
     * chat.max-pending-bytes}.
     */
    boolean hasRoomFor(int bytes) {
        return socket.hasRoomFor(bytes);
    }

    /**
     * Marks that the server is ending this connection, and why.
     *
     * @return false if the server was already ending it, so the caller must not act twice
     */
    boolean markEndedByServer(DisconnectReason reason) {
        return serverEndReason.compareAndSet(null, reason);
    }

    /** Why the server ended this connection, if it did. */
    public Optional<DisconnectReason> serverEndReason() {
        return Optional.ofNullable(serverEndReason.get());
    }

    /** Whether the server has started to end this connection; nothing more is sent to it then. */
    public boolean isEnding() {
        return serverEndReason.get() != null;
    }

    /** Queues a text frame of already-encoded bytes, after every frame handed over before it. */
    void writeText(NettyTransport.SharedBytes utf8) {
        socket.write(utf8);
    }

    /** Runs {@code action} on the socket's event loop after every frame handed over before it. */
    public void afterQueuedWrites(Runnable action) {
        socket.afterQueuedWrites(action);
    }

    /**
     * Closes the TCP connection at once, without a close handshake and without flushing what is
     * queued.
     */
    void closeTransport() {
        socket.drop();
    }
}
