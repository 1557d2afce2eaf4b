package dev.quarkchat.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.quarkchat.chat.IdempotencyKeys;
import dev.quarkchat.chat.RoomRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/** Gauges read from the chat's live state at each scrape: no bookkeeping on the hot path. */
@ApplicationScoped
class ChatGauges {

    void register(@Observes StartupEvent event, MeterRegistry registry, RoomRegistry rooms,
            IdempotencyKeys idempotencyKeys) {
        Gauge.builder("chat.rooms.active", rooms, RoomRegistry::size)
                .description("Rooms with at least one member").strongReference(true).register(registry);
        Gauge.builder("chat.idempotency.keys", idempotencyKeys, IdempotencyKeys::size)
                .description("Message ids this instance remembers so that resends are not posted twice")
                .strongReference(true).register(registry);
    }
}
