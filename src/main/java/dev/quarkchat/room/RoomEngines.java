package dev.quarkchat.room;

import dev.quarkchat.config.Backplane;
import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.IdempotencyConfig;
import dev.quarkchat.engine.IdempotencyKeys;
import dev.quarkchat.engine.MemoryBroker;
import dev.quarkchat.engine.MemoryHistoryStore;
import dev.quarkchat.engine.MemoryPresence;
import dev.quarkchat.engine.Presence;
import dev.quarkchat.engine.redis.RedisBackplaneConfig;
import dev.quarkchat.engine.redis.RedisBroker;
import dev.quarkchat.engine.redis.RedisLink;
import dev.quarkchat.engine.redis.RedisPresence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the engines {@code chat.backplane} asks for: in memory ({@code none}), or shared through
 * Redis ({@code redis}). Nothing else knows which ones run; a new engine is a new case here.
 */
@ApplicationScoped
class RoomEngines {

    /** The memory presence announces through the memory broker, so the two are made together. */
    private MemoryBroker memoryBroker;

    @Produces
    @Singleton
    Broker broker(
            ChatConfig config,
            HistoryConfig history,
            IdempotencyKeys sentIds,
            Instance<RedisLink> link,
            Instance<RedisBackplaneConfig> redis,
            IdempotencyConfig idempotency) {
        if (config.backplane() == Backplane.REDIS) {
            return new RedisBroker(link.get(), redis.get(), history, idempotency);
        }
        return memoryBroker(history, sentIds);
    }

    @Produces
    @Singleton
    Presence presence(
            ChatConfig config,
            HistoryConfig history,
            IdempotencyKeys sentIds,
            Instance<RedisLink> link,
            Instance<RedisBackplaneConfig> redis) {
        if (config.backplane() == Backplane.REDIS) {
            return new RedisPresence(link.get(), redis.get());
        }
        return new MemoryPresence(memoryBroker(history, sentIds));
    }

    private synchronized MemoryBroker memoryBroker(HistoryConfig history, IdempotencyKeys sentIds) {
        if (memoryBroker == null) {
            memoryBroker = new MemoryBroker(new MemoryHistoryStore(history.size()), sentIds);
        }
        return memoryBroker;
    }
}
