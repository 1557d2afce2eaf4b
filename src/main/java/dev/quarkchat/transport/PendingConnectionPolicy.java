package dev.quarkchat.transport;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * What the transport asks about a TCP connection that is not a chat socket (yet): whether to take
 * it in, how long it may take to send each request head, and what to count when it sends none in
 * time. The transport enforces the answers on the connection ({@link NettyTransport}); the rules
 * live with whoever implements this.
 */
public interface PendingConnectionPolicy {

    /**
     * How long a pending connection may wait for a request head: from its accept, and after each
     * response.
     */
    Duration headTimeout();

    /**
     * Takes in a connection just accepted.
     *
     * @return what to run once the connection is no longer pending (it became a chat socket, or
     *     closed), or empty to close it at once
     */
    Optional<Runnable> admit(SocketAddress remote);

    /** A connection that never sent a complete request head was closed at its deadline. */
    void headTimedOut();
}
