package dev.quarkchat.auth;

import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.HandshakeRejection;
import dev.quarkchat.transport.PendingConnectionPolicy;

import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TCP connections that are not chat sockets (yet): they have shown no token, so each gets {@code
 * chat.handshake.head-timeout} for every request head, and one client address may hold at most
 * {@code chat.handshake.max-pending-per-address} of them ({@link HandshakeConfig}). Without this, a
 * client that sends a request head one line at a time, or opens sockets and sends nothing, holds
 * file descriptors and memory for as long as it likes, and the per-address handshake limit never
 * sees it: that counts complete heads.
 *
 * <p>A connection is pending from its accept until it becomes a chat socket or closes. Its deadline
 * runs while it waits for a request head: from the accept, and again whenever its last request in
 * flight has been answered (an idle keep-alive connection is closed after the timeout, as Node's
 * server does); a complete head stops it until that request is answered. Trusted proxies ({@link
 * TrustedProxies}) are not counted per address, since every client behind them shares their address
 * and they read client heads with timeouts of their own; their connections still get the deadline.
 * The transport enforces these rules on every accepted connection once {@link
 * PendingConnectionGuard} has put it in place.
 */
@ApplicationScoped
public class PendingConnections implements PendingConnectionPolicy {

    private static final Logger LOG = Logger.getLogger(PendingConnections.class);

    private final Duration headTimeout;
    private final int maxPerAddress;
    private final TrustedProxies trustedProxies;
    private final ChatMetrics metrics;

    /** Pending connections by client address; an address leaves the map with its last one. */
    private final Map<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    PendingConnections(
            HandshakeConfig config,
            ChatMetrics metrics,
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding")
                    boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies")
                    Optional<List<String>> trustedProxies) {
        this.headTimeout = config.headTimeout();
        this.maxPerAddress = config.maxPendingPerAddress();
        this.trustedProxies = TrustedProxies.from(forwarding, trustedProxies);
        this.metrics = metrics;
    }

    void reportProxies(@Observes StartupEvent event) {
        if (trustedProxies.everyPeer()) {
            LOG.warn(
                    "quarkus.http.proxy.proxy-address-forwarding is on and quarkus.http.proxy.trusted-proxies lists"
                            + " no proxy: every peer is trusted as a proxy, so chat.handshake.max-pending-per-address applies"
                            + " to no one. List your proxies' addresses or networks.");
        }
        for (String hostName : trustedProxies.hostNames()) {
            LOG.warnf(
                    "Trusted proxy %s is a host name: chat.handshake.max-pending-per-address still counts its"
                            + " connections (it would need a DNS lookup per connection). List its address or network instead.",
                    hostName);
        }
    }

    @Override
    public Duration headTimeout() {
        return headTimeout;
    }

    /**
     * Counts the connection under its client address, unless that address already holds the most.
     */
    @Override
    public Optional<Runnable> admit(SocketAddress remote) {
        InetAddress counted = countedAddress(remote);
        if (counted == null) {
            return Optional.of(PendingConnections::nothingCounted);
        }
        if (!count(counted)) {
            metrics.handshakeRejected(HandshakeRejection.TOO_MANY_PENDING);
            return Optional.empty();
        }
        return Optional.of(() -> release(counted));
    }

    @Override
    public void headTimedOut() {
        metrics.handshakeRejected(HandshakeRejection.HEAD_TIMEOUT);
    }

    /** The address to count the connection under; null for trusted proxies and non-IP sockets. */
    private InetAddress countedAddress(SocketAddress remote) {
        if (remote instanceof InetSocketAddress peer && !trustedProxies.contains(peer)) {
            return peer.getAddress();
        }
        return null;
    }

    private boolean count(InetAddress address) {
        boolean[] counted = new boolean[1];
        byAddress.compute(
                address,
                (ignored, pending) -> {
                    int held = pending == null ? 0 : pending;
                    if (held >= maxPerAddress) {
                        return pending;
                    }
                    counted[0] = true;
                    return held + 1;
                });
        return counted[0];
    }

    private void release(InetAddress address) {
        byAddress.computeIfPresent(
                address, (ignored, pending) -> pending == 1 ? null : pending - 1);
    }

    /**
     * What a connection that was not counted (see countedAddress) runs once it is no longer
     * pending.
     */
    private static void nothingCounted() {
        // Nothing to release.
    }
}
