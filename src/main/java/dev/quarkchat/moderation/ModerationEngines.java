package dev.quarkchat.moderation;

import dev.quarkchat.config.Backplane;
import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.engine.BanStore;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.LocalModerationBus;
import dev.quarkchat.engine.MemoryBanStore;
import dev.quarkchat.engine.ModerationBus;
import dev.quarkchat.engine.postgres.PostgresBanStore;
import dev.quarkchat.engine.postgres.PostgresStore;
import dev.quarkchat.engine.redis.RedisBanStore;
import dev.quarkchat.engine.redis.RedisLink;
import dev.quarkchat.engine.redis.RedisModerationBus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the moderation engines {@code chat.history.store} and {@code chat.backplane} ask for, as
 * the rooms' engines are made: bans are kept in the durable store if there is one, else in Redis
 * with the backplane, else in memory; commands travel through Redis with the backplane.
 */
@ApplicationScoped
class ModerationEngines {

    @Produces
    @Singleton
    BanStore banStore(
            ChatConfig config,
            HistoryConfig history,
            Instance<RedisLink> link,
            Instance<PostgresStore> store) {
        if (history.store() == HistoryConfig.Store.POSTGRES) {
            return new PostgresBanStore(store.get());
        }
        if (config.backplane() == Backplane.REDIS) {
            return new RedisBanStore(link.get());
        }
        return new MemoryBanStore();
    }

    @Produces
    @Singleton
    ModerationBus moderationBus(ChatConfig config, Instance<RedisLink> link) {
        return config.backplane() == Backplane.REDIS
                ? new RedisModerationBus(link.get())
                : new LocalModerationBus();
    }
}
