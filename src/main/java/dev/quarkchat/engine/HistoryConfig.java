package dev.quarkchat.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * What each room remembers ({@code chat.history.*}), so that a returning client gets what it
 * missed.
 */
@ConfigMapping(prefix = "chat.history")
public interface HistoryConfig {

    /**
     * Messages kept per room; a client that missed more gets {@code recovered:false} and a fresh
     * view.
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
}
