package dev.quarkchat.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.HandshakeRejection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.quarkus.runtime.StartupEvent;

/**
 * TCP connections that are not chat sockets (yet): they have shown no token, so each gets
 * {@code chat.handshake.head-timeout} for every request head, and one client address may hold at most
 * {@code chat.handshake.max-pending-per-address} of them ({@link HandshakeConfig}). Without this, a client
 * that sends a request head one line at a time, or opens sockets and sends nothing, holds file descriptors and
 * memory for as long as it likes, and the per-address handshake limit never sees it: that counts complete heads.
 * <p>
 * A connection is pending from its accept until it becomes a chat socket ({@link #upgraded}) or closes. Its
 * deadline runs while it waits for a request head: from the accept, and again whenever its last request in
 * flight has been answered (an idle keep-alive connection is closed after the timeout, as Node's server does);
 * a complete head stops it until that request is answered. Trusted proxies ({@link TrustedProxies}) are not
 * counted per address, since every client behind them shares their address and they read client heads with
 * timeouts of their own; their connections still get the deadline. {@link PendingConnectionGuard} brings every
 * accepted connection and every request head here.
 */
@ApplicationScoped
public class PendingConnections {

    private static final Logger LOG = Logger.getLogger(PendingConnections.class);
    /** The name of the per-connection handler in the socket's Netty pipeline. */
    private static final String HANDLER = "chat-pending-connection";

    private final long headTimeoutNanos;
    private final int maxPerAddress;
    private final TrustedProxies trustedProxies;
    private final ChatMetrics metrics;
    /** Pending connections by client address; an address leaves the map with its last one. */
    private final Map<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    PendingConnections(HandshakeConfig config, ChatMetrics metrics,
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding") boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trustedProxies) {
        this.headTimeoutNanos = config.headTimeout().toNanos();
        this.maxPerAddress = config.maxPendingPerAddress();
        this.trustedProxies = TrustedProxies.from(forwarding, trustedProxies);
        this.metrics = metrics;
    }

    void reportProxies(@Observes StartupEvent event) {
        if (trustedProxies.everyPeer()) {
            LOG.warn("quarkus.http.proxy.proxy-address-forwarding is on and quarkus.http.proxy.trusted-proxies lists"
                    + " no proxy: every peer is trusted as a proxy, so chat.handshake.max-pending-per-address applies"
                    + " to no one. List your proxies' addresses or networks.");
        }
        for (String hostName : trustedProxies.hostNames()) {
            LOG.warnf("Trusted proxy %s is a host name: chat.handshake.max-pending-per-address still counts its"
                    + " connections (it would need a DNS lookup per connection). List its address or network instead.",
                    hostName);
        }
    }

    /**
     * Takes in a connection just accepted, before it is registered with an event loop.
     *
     * @return false if its address already holds the most pending connections: close it at once
     */
    boolean accept(Channel connection) {
        InetAddress counted = countedAddress(connection.remoteAddress());
        if (counted != null && !count(counted)) {
            metrics.handshakeRejected(HandshakeRejection.TOO_MANY_PENDING);
            return false;
        }
        // Runs its handlerAdded once the connection is registered, on the connection's event loop.
        connection.pipeline().addFirst(HANDLER, new PendingConnection(connection, counted));
        return true;
    }

    /** The connection became a chat socket: it is no longer pending, and its liveness is the keepalive's. */
    public void upgraded(Channel connection) {
        if (connection.pipeline().get(HANDLER) != null) {
            connection.pipeline().remove(HANDLER);
        }
    }

    /** A complete request head arrived on this connection; the returned action marks its response sent. */
    Optional<Runnable> headArrived(Channel connection) {
        if (!(connection.pipeline().get(HANDLER) instanceof PendingConnection pending)) {
            return Optional.empty();
        }
        pending.onEventLoop(pending::headArrived);
        return Optional.of(() -> pending.onEventLoop(pending::responseEnded));
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
        byAddress.compute(address, (ignored, pending) -> {
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
        byAddress.computeIfPresent(address, (ignored, pending) -> pending == 1 ? null : pending - 1);
    }

    /**
     * One pending connection: its deadline and its requests in flight, touched on its event loop only. It sits
     * first in the connection's pipeline and handles no event, so reads pass it by; leaving the pipeline (at the
     * upgrade, or when the connection closes) ends it.
     */
    private final class PendingConnection extends ChannelInboundHandlerAdapter {

        private final Channel connection;
        private final InetAddress counted;
        private ScheduledFuture<?> deadline;
        private int requestsInFlight;
        private boolean servedARequest;
        private boolean ended;

        PendingConnection(Channel connection, InetAddress counted) {
            this.connection = connection;
            this.counted = counted;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            startDeadline();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext context) {
            ended = true;
            stopDeadline();
            if (counted != null) {
                release(counted);
            }
        }

        void onEventLoop(Runnable action) {
            if (connection.eventLoop().inEventLoop()) {
                action.run();
            } else {
                connection.eventLoop().execute(action);
            }
        }

        void headArrived() {
            requestsInFlight++;
            servedARequest = true;
            stopDeadline();
        }

        void responseEnded() {
            requestsInFlight--;
            if (requestsInFlight == 0) {
                startDeadline();
            }
        }

        private void startDeadline() {
            if (!ended && deadline == null) {
                deadline = connection.eventLoop().schedule(this::expire, headTimeoutNanos, TimeUnit.NANOSECONDS);
            }
        }

        private void stopDeadline() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        private void expire() {
            deadline = null;
            if (ended || requestsInFlight > 0) {
                return;
            }
            // An idle keep-alive connection that was served is simply done; one that never sent a whole head is not.
            if (!servedARequest) {
                metrics.handshakeRejected(HandshakeRejection.HEAD_TIMEOUT);
            }
            connection.close();
        }
    }
}
