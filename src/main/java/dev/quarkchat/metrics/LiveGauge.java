package dev.quarkchat.metrics;

/**
 * The gauges read from the chat's live state at each scrape. The state's owner hands {@link
 * ChatMetrics} a way to read it, so that the metrics never import the state's classes and the hot
 * path keeps no extra count.
 */
public enum LiveGauge {
    CONNECTIONS_ACTIVE("chat.connections.active", "Open WebSocket connections"),
    ROOMS_ACTIVE("chat.rooms.active", "Rooms with at least one member"),
    IDEMPOTENCY_KEYS(
            "chat.idempotency.keys",
            "Message ids this instance remembers so that resends are not posted twice"),
    BACKPLANE_UP(
            "chat.backplane.up",
            "1 while this instance is connected to the shard of the Redis backplane, else 0"),
    BACKPLANE_CHANNELS(
            "chat.backplane.channels",
            "Room channels this instance holds on Redis: rooms with members here, or in their grace"),
    STORE_UP("chat.store.up", "1 while this instance's PostgreSQL store answers, else 0");

    private final String meterName;
    private final String description;

    LiveGauge(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    String meterName() {
        return meterName;
    }

    String description() {
        return description;
    }
}
