package dev.quarkchat.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The service's metrics on an in-memory registry, for microbenchmarks that run its classes outside
 * Quarkus.
 */
public final class BenchMetrics {

    private BenchMetrics() {}

    public static ChatMetrics inMemory() {
        return new ChatMetrics(new SimpleMeterRegistry());
    }
}
