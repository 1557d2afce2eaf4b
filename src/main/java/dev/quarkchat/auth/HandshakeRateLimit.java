package dev.quarkchat.auth;

import dev.quarkchat.protocol.ChatUpgrades;
import dev.quarkchat.protocol.HttpStatus;
import dev.quarkchat.scheduling.PeriodicTasks;
import dev.quarkchat.session.TokenBucket;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upgrades to {@code /chat} per client address, as a token bucket ({@code
 * chat.handshake-rate-limit.*}): past it, 429 at once, before the token's signature is checked, so
 * a flood of forged handshakes costs almost nothing. Behind a proxy, the client's address is the
 * forwarded one only where Quarkus is told to trust the proxy ({@code quarkus.http.proxy.*});
 * otherwise every client shares the proxy's budget.
 */
@ApplicationScoped
class HandshakeRateLimit {

    /** After the rejection counter (1000) and ahead of authentication. */
    private static final int PRIORITY = 900;

    /** An address idle this long has a full bucket again: forget it. */
    private static final Duration IDLE = Duration.ofMinutes(1);

    private final PeriodicTasks tasks;
    private final int perSecond;
    private final int burst;
    private final Map<String, TokenBucket> byAddress = new ConcurrentHashMap<>();

    HandshakeRateLimit(PeriodicTasks tasks, HandshakeRateLimitConfig config) {
        this.tasks = tasks;
        this.perSecond = config.perSecond();
        this.burst = config.burst();
    }

    void register(@Observes Filters filters) {
        filters.register(this::admit, PRIORITY);
    }

    void start(@Observes StartupEvent event) {
        tasks.every(IDLE, "handshake rate limit sweep", () -> forgetIdle(System.nanoTime()));
    }

    private void admit(RoutingContext context) {
        SocketAddress client = context.request().remoteAddress();
        if (client != null
                && ChatUpgrades.isChatUpgrade(context)
                && !admitted(client.hostAddress(), System.nanoTime())) {
            context.response()
                    .setStatusCode(HttpStatus.TOO_MANY_REQUESTS)
                    .putHeader(HttpHeaders.RETRY_AFTER, "1")
                    .end();
            return;
        }
        context.next();
    }

    private boolean admitted(String address, long now) {
        TokenBucket bucket =
                byAddress.computeIfAbsent(
                        address, ignored -> new TokenBucket(perSecond, burst, now));
        // One address may come in on several event loops at once.
        synchronized (bucket) {
            return bucket.tryTake(now);
        }
    }

    private void forgetIdle(long now) {
        byAddress
                .values()
                .removeIf(
                        bucket -> {
                            synchronized (bucket) {
                                return bucket.idleNanos(now) > IDLE.toNanos();
                            }
                        });
    }
}
