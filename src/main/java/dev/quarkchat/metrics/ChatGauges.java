package dev.quarkchat.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.quarkchat.chat.ChatSessions;
import dev.quarkchat.engine.IdempotencyKeys;
import dev.quarkchat.room.RoomRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/** Gauges read from the chat's live state at each scrape: no bookkeeping on the hot path. */
@ApplicationScoped
class ChatGauges {

    void register(@Observes StartupEvent event, MeterRegistry registry, ChatSessions sessions, RoomRegistry rooms,
            IdempotencyKeys idempotencyKeys) {
        Gauge.builder("chat.connections.active", sessions, ChatSessions::size)
                .description("Open WebSocket connections").strongReference(true).register(registry);
        Gauge.builder("chat.rooms.active", rooms, RoomRegistry::size)
                .description("Rooms with at least one member").strongReference(true).register(registry);
        Gauge.builder("chat.idempotency.keys", idempotencyKeys, IdempotencyKeys::size)
                .description("Message ids this instance remembers so that resends are not posted twice")
                .strongReference(true).register(registry);
    }
}
