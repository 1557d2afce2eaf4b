package dev.quarkchat.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The server API's requests, counted by endpoint and status ({@code chat_api_requests_total}) and
 * timed by endpoint ({@code chat_api_request_duration_seconds}). Quarkus' own HTTP metrics stay off
 * (they would time every chat socket too), so the API counts itself: where every answer passes,
 * when its headers are written, ahead of the body limits and authentication, so that what they
 * refuse counts too. Every series exists from startup with a zero, and labels come from fixed sets:
 * the endpoints and the statuses the API answers.
 */
@ApplicationScoped
class ApiMetrics {

    /** Ahead of the API's body limits and of authentication, whose refusals count too. */
    private static final int PRIORITY = 850;

    /** The status label of a status the API does not answer by design. */
    private static final String OTHER_STATUS = "other";

    private static final int[] SUCCESS_STATUSES = {200, 201, 204};

    /** Bucket bounds of the duration histogram: from a millisecond to a few seconds. */
    private static final Duration[] DURATION_BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5)
    };

    private final Map<ApiEndpoint, Map<String, Counter>> requests =
            new EnumMap<>(ApiEndpoint.class);
    private final Map<ApiEndpoint, Timer> durations = new EnumMap<>(ApiEndpoint.class);

    ApiMetrics(MeterRegistry registry) {
        for (ApiEndpoint endpoint : ApiEndpoint.values()) {
            Map<String, Counter> byStatus = new TreeMap<>();
            for (String status : statuses()) {
                byStatus.put(
                        status,
                        Counter.builder("chat.api.requests")
                                .description("Requests to the server API, by endpoint and status")
                                .tag("endpoint", endpoint.label())
                                .tag("status", status)
                                .register(registry));
            }
            requests.put(endpoint, byStatus);
            durations.put(
                    endpoint,
                    Timer.builder("chat.api.request.duration")
                            .description(
                                    "From a request to the server API to its answer, by endpoint")
                            .tag("endpoint", endpoint.label())
                            .serviceLevelObjectives(DURATION_BUCKETS)
                            .register(registry));
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::watch, PRIORITY);
    }

    private void watch(RoutingContext context) {
        String path = context.normalizedPath();
        if (ApiPaths.isApi(path)) {
            long started = System.nanoTime();
            ApiEndpoint endpoint = ApiEndpoint.of(context.request().method().name(), path);
            context.addHeadersEndHandler(
                    ignored -> {
                        durations
                                .get(endpoint)
                                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                        Map<String, Counter> byStatus = requests.get(endpoint);
                        String status = String.valueOf(context.response().getStatusCode());
                        byStatus.getOrDefault(status, byStatus.get(OTHER_STATUS)).increment();
                    });
        }
        context.next();
    }

    /** The statuses the API answers, and {@link #OTHER_STATUS}. */
    private static Set<String> statuses() {
        Set<String> statuses = new TreeSet<>();
        for (int status : SUCCESS_STATUSES) {
            statuses.add(String.valueOf(status));
        }
        for (ProblemType type : ProblemType.values()) {
            statuses.add(String.valueOf(type.status()));
        }
        statuses.add(OTHER_STATUS);
        return statuses;
    }
}
