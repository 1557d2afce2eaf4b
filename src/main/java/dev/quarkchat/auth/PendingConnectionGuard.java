package dev.quarkchat.auth;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.ServerID;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.ext.web.RoutingContext;

/**
 * Brings every accepted TCP connection and every request head to {@link PendingConnections}. A slow request head
 * never reaches a Quarkus filter (Vert.x hands a request over once its head is whole), and neither Quarkus nor
 * Vert.x 4 has a hook on accept or a timeout for a request head, so this reaches into Vert.x 4 internals, all of
 * them here (revisit on Vert.x 5):
 * <ul>
 * <li>{@link VertxInternal#sharedHttpServers()}: the listening HTTP servers (Quarkus' plain and TLS ones; random
 * test ports are shared too);</li>
 * <li>the private field {@code bindFuture} of {@link TCPServerBase}: each server's Netty server channel, whose
 * pipeline gets a handler, first, that sees every accepted connection before Netty registers it;</li>
 * <li>{@link ConnectionBase#channel()}: the Netty channel under a request, for the head's arrival.</li>
 * </ul>
 * Quarkus opens its ports after {@link StartupEvent}, and says so with {@link HttpServerStart} and
 * {@link HttpsServerStart}, fired asynchronously: the guard installs there, and stops the application if the
 * internals are not as expected or the port it was told about is not among the servers it guarded. Until every
 * port Quarkus listens on is guarded, {@code /q/health/ready} is down.
 */
@Readiness
@ApplicationScoped
@RegisterForReflection(targets = TCPServerBase.class, fields = true, methods = false)
class PendingConnectionGuard implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(PendingConnectionGuard.class);
    private static final String SERVER_CHANNEL_FIELD = "bindFuture";
    private static final String ACCEPT_HANDLER = "chat-pending-connections";
    /** Ahead of every other filter, so that it also sees the heads of requests that they answer. */
    private static final int PRIORITY = 2_000;
    private static final int NOT_LISTENING = -1;
    private static final int FAILED_TO_START = 1;
    private static final ChannelHandler CLOSE_ON_REGISTRATION = new CloseOnRegistration();

    private final Vertx vertx;
    private final PendingConnections pending;
    private final HttpServer quarkusServer;
    private final AcceptedConnections acceptHandler = new AcceptedConnections();
    /** The local ports of the server channels guarded. */
    private final Set<Integer> guardedPorts = ConcurrentHashMap.newKeySet();

    PendingConnectionGuard(Vertx vertx, PendingConnections pending, HttpServer quarkusServer) {
        this.vertx = vertx;
        this.pending = pending;
        this.quarkusServer = quarkusServer;
    }

    void register(@Observes Filters filters) {
        filters.register(this::headArrived, PRIORITY);
    }

    /** Dev mode keeps its servers across a live reload: this application's handler takes the last one's place. */
    void takeOverKeptServers(@Observes StartupEvent event) {
        sharedServers().forEach((id, server) -> {
            Channel serverChannel = serverChannel(server);
            if (serverChannel.pipeline().get(ACCEPT_HANDLER) != null) {
                guard(serverChannel);
            }
        });
    }

    void httpStarted(@ObservesAsync HttpServerStart event) {
        guardOrStop(event.options().getPort());
    }

    void httpsStarted(@ObservesAsync HttpsServerStart event) {
        guardOrStop(event.options().getPort());
    }

    @Override
    public HealthCheckResponse call() {
        boolean guarded = true;
        for (int port : List.of(quarkusServer.getPort(), quarkusServer.getSecurePort())) {
            guarded &= port == NOT_LISTENING || guardedPorts.contains(port);
        }
        return HealthCheckResponse.named("pending-connections").status(guarded)
                .withData("ports", guardedPorts.toString()).build();
    }

    /**
     * Guards the server Quarkus started on {@code configuredPort} (negative: a random port, as in tests). Only
     * Quarkus' main servers: their requests pass the filter that stops a connection's deadline.
     */
    private void guardOrStop(int configuredPort) {
        try {
            Map<ServerID, HttpServerImpl> servers = sharedServers();
            boolean found = false;
            for (Map.Entry<ServerID, HttpServerImpl> server : servers.entrySet()) {
                if (server.getKey().port == configuredPort) {
                    guard(serverChannel(server.getValue()));
                    found = true;
                }
            }
            if (!found) {
                throw unexpected("Quarkus started a server on port " + configuredPort + ", but Vert.x shares none there"
                        + " (only " + servers.keySet() + ")");
            }
        } catch (RuntimeException e) {
            LOG.error("Stopping: slow and idle connections cannot be bounded", e);
            Quarkus.asyncExit(FAILED_TO_START);
        }
    }

    private Map<ServerID, HttpServerImpl> sharedServers() {
        Map<ServerID, HttpServerImpl> shared = ((VertxInternal) vertx).sharedHttpServers();
        // Vert.x guards this map with its own monitor.
        synchronized (shared) {
            return new HashMap<>(shared);
        }
    }

    private void guard(Channel serverChannel) {
        ChannelPipeline pipeline = serverChannel.pipeline();
        ChannelHandler installed = pipeline.get(ACCEPT_HANDLER);
        if (installed == null) {
            pipeline.addFirst(ACCEPT_HANDLER, acceptHandler);
        } else if (installed != acceptHandler) {
            pipeline.replace(ACCEPT_HANDLER, ACCEPT_HANDLER, acceptHandler);
        }
        if (serverChannel.localAddress() instanceof InetSocketAddress address) {
            guardedPorts.add(address.getPort());
        }
        LOG.debugf("Pending connections guarded on %s", serverChannel.localAddress());
    }

    private static Channel serverChannel(HttpServerImpl server) {
        Object bound;
        try {
            Field field = TCPServerBase.class.getDeclaredField(SERVER_CHANNEL_FIELD);
            field.setAccessible(true);
            bound = field.get(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unexpected("cannot read " + TCPServerBase.class.getName() + "." + SERVER_CHANNEL_FIELD + ": " + e);
        }
        if (bound instanceof Future<?> future && future.succeeded() && future.result() instanceof Channel channel) {
            return channel;
        }
        throw unexpected(TCPServerBase.class.getName() + "." + SERVER_CHANNEL_FIELD + " of a listening server is "
                + bound + ", not a bound Netty channel");
    }

    private static IllegalStateException unexpected(String what) {
        return new IllegalStateException("Cannot guard pending connections (chat.handshake.*), Vert.x internals are"
                + " not as expected: " + what);
    }

    private void headArrived(RoutingContext context) {
        Channel connection = ((ConnectionBase) context.request().connection()).channel();
        pending.headArrived(connection)
                .ifPresent(responseEnded -> context.addEndHandler(ignored -> responseEnded.run()));
        context.next();
    }

    /** First in a server channel's pipeline: every accepted connection passes here before Netty registers it. */
    @ChannelHandler.Sharable
    private final class AcceptedConnections extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            Channel connection = (Channel) message;
            if (!pending.accept(connection)) {
                // Not registered with an event loop yet: it can only be closed once it is, first thing.
                connection.pipeline().addFirst(CLOSE_ON_REGISTRATION);
            }
            context.fireChannelRead(connection);
        }
    }

    /** Closes a connection as soon as it has an event loop, before Vert.x reads anything from it. */
    @ChannelHandler.Sharable
    private static final class CloseOnRegistration extends ChannelInboundHandlerAdapter {

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            context.close();
        }
    }
}
