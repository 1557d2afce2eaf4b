package dev.quarkchat.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * What each room remembers ({@code chat.history.*}), so that a returning client gets what it missed
 * and anyone can scroll back, and where it is kept.
 */
@ConfigMapping(prefix = "chat.history")
public interface HistoryConfig {

    /** Where messages are kept. */
    enum Store {
        /**
         * A window of each live room's latest messages, in this instance's memory or in Redis with
         * the backplane: nothing to run, nothing outlives the room.
         */
        MEMORY,
        /** Every message in PostgreSQL, acknowledged only once committed, until retention. */
        POSTGRES
    }

    /** Where messages are kept: {@code memory} (the embedded default) or {@code postgres}. */
    @WithDefault("memory")
    Store store();

    /**
     * Messages kept per room in the window of the memory store; a client that missed more gets
     * {@code recovered:false} and a fresh view.
     */
    @WithDefault("100")
    @Min(0)
    @Max(100_000)
    int size();

    /**
     * Messages replayed to a join without {@code since}, so that a newcomer sees the conversation.
     */
    @WithDefault("20")
    @Min(0)
    int onJoin();

    /** The largest {@code limit} of a {@code history} frame. */
    @WithDefault("100")
    @Min(1)
    @Max(1000)
    int pageMax();

    /** How long the PostgreSQL store keeps messages. */
    Retention retention();

    /** How the PostgreSQL store commits. */
    Postgres postgres();

    /** {@code chat.history.retention.*}: messages past either bound are deleted. */
    interface Retention {

        /** Messages older than this are deleted. */
        @WithDefault("90d")
        Duration maxAge();

        /** A room keeps at most this many messages: its oldest are deleted past it. */
        @WithDefault("1000000")
        @Min(1)
        long maxMessages();

        /** How often the retention job runs. */
        @WithDefault("1m")
        Duration interval();

        /** Messages deleted per statement, so that no delete holds locks for long. */
        @WithDefault("1000")
        @Min(1)
        @Max(100_000)
        int batchSize();
    }

    /** {@code chat.history.postgres.*}. */
    interface Postgres {

        /** Most messages committed in one transaction (group commit). */
        @WithDefault("500")
        @Min(1)
        @Max(10_000)
        int maxBatch();

        /**
         * Most messages waiting for their commit; a send past it is answered {@code unavailable}.
         */
        @WithDefault("10000")
        @Min(1)
        int maxQueued();

        /**
         * How long a statement may take before the frame that needed it is answered {@code
         * unavailable}.
         */
        @WithDefault("5s")
        Duration timeout();

        /**
         * The most messages a recovery replays: a client that missed more gets {@code
         * recovered:false} and the latest messages, and scrolls back with {@code history}.
         */
        @WithDefault("10000")
        @Min(1)
        @Max(1_000_000)
        int maxRecovery();

        /** How often the database is checked while it is down, and while it is up. */
        @WithDefault("1s")
        Duration checkInterval();
    }
}
