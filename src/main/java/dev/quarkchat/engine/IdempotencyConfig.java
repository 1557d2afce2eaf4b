package dev.quarkchat.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * How long and how many message ids are remembered so that a resent {@code send} is not posted
 * twice ({@code chat.idempotency.*}; the rules are in {@code docs/protocol.md}, "Resending").
 */
@ConfigMapping(prefix = "chat.idempotency")
public interface IdempotencyConfig {

    /**
     * How long after it was posted a message's id still makes a resend with that id an
     * acknowledgement instead of a new message: far longer than a reconnect takes (the page's
     * backoff reaches 15 s).
     */
    @WithDefault("10m")
    @DurationMin(seconds = 1)
    Duration window();

    /**
     * The most ids remembered per user (with Redis: per user and room); past it the user's oldest
     * is forgotten. A person sends far fewer in a window; a client at the rate limit (20/s) still
     * has its last 50 s covered.
     */
    @WithDefault("1000")
    @Min(1)
    int maxKeysPerUser();

    /**
     * The most ids one instance remembers for all users together (not used with Redis, which keeps
     * them); past it the instance's oldest is forgotten. Covers a window of 10,000 people sending
     * one message a minute.
     */
    @WithDefault("100000")
    @Min(1)
    int maxKeys();
}
