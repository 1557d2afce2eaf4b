package dev.quarkchat.lifecycle;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.time.Duration;
import java.util.Map;

/** Keepalive settings short enough to watch them act within a test. */
public class ShortTimeouts implements QuarkusTestProfile {

    static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    static final Duration PONG_TIMEOUT = Duration.ofSeconds(2);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.websockets-next.server.auto-ping-interval",
                        PING_INTERVAL.toMillis() + "ms",
                "chat.keepalive.pong-timeout", PONG_TIMEOUT.toMillis() + "ms");
    }
}
