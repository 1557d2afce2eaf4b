package dev.quarkchat.api;

import dev.quarkchat.auth.TokenClaims;
import dev.quarkchat.scheduling.PeriodicTasks;
import dev.quarkchat.session.TokenBucket;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server API's calls per caller, as a token bucket ({@code chat.api.rate-limit.*}): past it,
 * 429 with {@code Retry-After}. Only service tokens are counted: any other caller is refused by the
 * resources' roles anyway, and must not fill the map. The map holds at most {@code max-callers}
 * buckets: idle ones (full again, so no different from new ones) are forgotten first.
 */
@ApplicationScoped
class ApiRateLimit {

    /** How often idle callers are forgotten even while the map is not full. */
    private static final Duration SWEEP = Duration.ofMinutes(1);

    /** One token comes back within a second at any rate of at least one per second. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private final SecurityIdentity identity;
    private final ApiCaller caller;
    private final PeriodicTasks tasks;
    private final double perSecond;
    private final int burst;
    private final int maxCallers;
    private final long idleNanos;
    private final Map<String, TokenBucket> byCaller = new ConcurrentHashMap<>();

    ApiRateLimit(
            SecurityIdentity identity, ApiCaller caller, PeriodicTasks tasks, ApiConfig config) {
        this.identity = identity;
        this.caller = caller;
        this.tasks = tasks;
        this.perSecond = config.rateLimit().perSecond();
        this.burst = config.rateLimit().burst();
        this.maxCallers = config.rateLimit().maxCallers();
        // A bucket untouched this long is full again.
        this.idleNanos = (long) Math.ceil(burst / perSecond * 1e9);
    }

    void start(@Observes StartupEvent event) {
        tasks.every(SWEEP, "API rate limit sweep", () -> forgetIdle(System.nanoTime()));
    }

    @ServerRequestFilter
    void admit() {
        if (identity.isAnonymous() || !identity.hasRole(TokenClaims.ADMIN_GROUP)) {
            return;
        }
        Optional<String> name = caller.name();
        if (name.isEmpty() || admitted(name.get(), System.nanoTime())) {
            return;
        }
        throw new ProblemException(
                ProblemType.RATE_LIMITED.problem(
                        "over "
                                + (int) perSecond
                                + " requests per second (bursts of "
                                + burst
                                + "): retry after the time in Retry-After"),
                Map.of(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS));
    }

    private boolean admitted(String name, long now) {
        TokenBucket bucket = byCaller.get(name);
        if (bucket == null) {
            if (byCaller.size() >= maxCallers) {
                forgetIdle(now);
                if (byCaller.size() >= maxCallers) {
                    return false;
                }
            }
            bucket =
                    byCaller.computeIfAbsent(
                            name, ignored -> new TokenBucket(perSecond, burst, now));
        }
        // One caller may call on several event loops at once.
        synchronized (bucket) {
            return bucket.tryTake(now);
        }
    }

    private void forgetIdle(long now) {
        byCaller.values()
                .removeIf(
                        bucket -> {
                            synchronized (bucket) {
                                return bucket.idleNanos(now) > idleNanos;
                            }
                        });
    }
}
