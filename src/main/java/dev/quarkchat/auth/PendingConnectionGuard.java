package dev.quarkchat.auth;

import dev.quarkchat.transport.NettyTransport;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Puts {@link PendingConnections} in force on every accepted TCP connection and every request head.
 * A slow request head never reaches a Quarkus filter (Vert.x hands a request over once its head is
 * whole), and neither Quarkus nor Vert.x 4 has a hook on accept or a timeout for a request head, so
 * the transport reaches below Vert.x for it ({@link NettyTransport}).
 *
 * <p>Quarkus opens its ports after {@link StartupEvent}, and says so with {@link HttpServerStart}
 * and {@link HttpsServerStart}, fired asynchronously: the guard installs there, and stops the
 * application if the port it was told about cannot be guarded. Until every port Quarkus listens on
 * is guarded, {@code /q/health/ready} is down.
 */
@Readiness
@ApplicationScoped
class PendingConnectionGuard implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(PendingConnectionGuard.class);

    /** Ahead of every other filter, so that it also sees the heads of requests that they answer. */
    private static final int PRIORITY = 2_000;

    private static final int NOT_LISTENING = -1;
    private static final int FAILED_TO_START = 1;

    private final NettyTransport transport;
    private final HttpServer quarkusServer;

    PendingConnectionGuard(NettyTransport transport, HttpServer quarkusServer) {
        this.transport = transport;
        this.quarkusServer = quarkusServer;
    }

    void register(@Observes Filters filters) {
        filters.register(this::headArrived, PRIORITY);
    }

    void takeOverKeptServers(@Observes StartupEvent event) {
        transport.takeOverKeptServers();
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
            guarded &= port == NOT_LISTENING || transport.guardedPorts().contains(port);
        }
        return HealthCheckResponse.named("pending-connections")
                .status(guarded)
                .withData("ports", transport.guardedPorts().toString())
                .build();
    }

    /**
     * Guards the server Quarkus started on {@code configuredPort} (negative: a random port, as in
     * tests). Only Quarkus' main servers: their requests pass the filter that stops a connection's
     * deadline.
     */
    private void guardOrStop(int configuredPort) {
        try {
            transport.guardServersOn(configuredPort);
        } catch (RuntimeException e) {
            LOG.error("Stopping: slow and idle connections cannot be bounded", e);
            Quarkus.asyncExit(FAILED_TO_START);
        }
    }

    private void headArrived(RoutingContext context) {
        transport
                .requestHeadArrived(context.request())
                .ifPresent(responseEnded -> context.addEndHandler(ignored -> responseEnded.run()));
        context.next();
    }
}
