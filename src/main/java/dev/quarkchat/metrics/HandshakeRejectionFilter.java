package dev.quarkchat.metrics;

import dev.quarkchat.protocol.ChatUpgrades;
import dev.quarkchat.protocol.HttpStatus;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts refused upgrades to {@code /chat}. Authentication refuses them before the WebSocket
 * endpoint sees anything, so the count is taken where every answer passes: when the response
 * headers are written.
 */
@ApplicationScoped
class HandshakeRejectionFilter {

    /** Ahead of authentication, so that its refusals pass through here too. */
    private static final int PRIORITY = 1_000;

    private final ChatMetrics metrics;

    HandshakeRejectionFilter(ChatMetrics metrics) {
        this.metrics = metrics;
    }

    void register(@Observes Filters filters) {
        filters.register(this::watch, PRIORITY);
    }

    private void watch(RoutingContext context) {
        if (ChatUpgrades.isChatUpgrade(context)) {
            context.addHeadersEndHandler(
                    ignored -> {
                        int status = context.response().getStatusCode();
                        if (status != HttpStatus.SWITCHING_PROTOCOLS) {
                            metrics.handshakeRejected(HandshakeRejection.forStatus(status));
                        }
                    });
        }
        context.next();
    }
}
