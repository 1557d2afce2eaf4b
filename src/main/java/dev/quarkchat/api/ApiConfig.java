package dev.quarkchat.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The server API's limits ({@code chat.api.*}). */
@ConfigMapping(prefix = "chat.api")
public interface ApiConfig {

    /** Largest request body, in bytes; a larger one gets 413 before it is read. */
    @WithDefault("65536")
    @Min(1024)
    @Max(1048576)
    int maxBodyBytes();

    /**
     * How often one caller may call the API. Named here so that a validation message names the key
     * as it is written, not the method.
     */
    @WithName("rate-limit")
    RateLimit rateLimit();

    /** A token bucket per caller (the service token's user name). */
    interface RateLimit {

        /** Sustained requests per second per caller; past it, 429. */
        @WithDefault("50")
        @Min(1)
        int perSecond();

        /** Requests one caller may make at once. */
        @WithDefault("100")
        @Min(1)
        int burst();

        /**
         * Callers whose buckets are kept at once; idle ones are forgotten first, and past it a new
         * caller gets 429 until one is.
         */
        @WithDefault("10000")
        @Min(1)
        int maxCallers();
    }
}
