package dev.quarkchat.engine.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/**
 * How instances share rooms through Redis ({@code chat.backplane.redis.*}), used when {@code
 * chat.backplane=redis}. Where Redis is comes from {@code quarkus.redis.hosts}.
 */
@ConfigMapping(prefix = "chat.backplane.redis")
public interface RedisBackplaneConfig {

    /** Prepended to every key and channel, so that several services can share one Redis. */
    @WithDefault("quarkchat:")
    @Pattern(regexp = "[A-Za-z0-9:_.-]{1,64}", message = "must be 1 to 64 letters, digits or :_.-")
    String keyPrefix();

    /**
     * How long a Redis command may take before the frame that needed it is answered {@code
     * unavailable}.
     */
    @WithDefault("2s")
    Duration commandTimeout();

    /** How often a working link is checked with PING, and a broken one is reconnected. */
    @WithDefault("1s")
    Duration checkInterval();

    /**
     * How long an instance's presence entries live without being refreshed (every third of it): the
     * users of a crashed instance disappear from every room after at most this long.
     */
    @WithDefault("30s")
    Duration presenceTtl();

    /**
     * How long an instance stays subscribed to a room's channel after its last member here left, so
     * that a lone member reconnecting costs no unsubscribe and subscribe.
     */
    @WithDefault("10s")
    Duration channelGrace();

    /** How long a room's sequence and history stay in Redis after its last activity. */
    @WithDefault("24h")
    Duration roomTtl();
}
