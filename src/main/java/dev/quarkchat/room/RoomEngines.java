package dev.quarkchat.room;

import dev.quarkchat.config.Backplane;
import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.Fanout;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.IdempotencyConfig;
import dev.quarkchat.engine.IdempotencyKeys;
import dev.quarkchat.engine.LocalFanout;
import dev.quarkchat.engine.LocalUserBus;
import dev.quarkchat.engine.Memberships;
import dev.quarkchat.engine.MemoryBroker;
import dev.quarkchat.engine.MemoryHistoryStore;
import dev.quarkchat.engine.MemoryMemberships;
import dev.quarkchat.engine.MemoryPresence;
import dev.quarkchat.engine.MemoryReadPositions;
import dev.quarkchat.engine.MemoryUserConnections;
import dev.quarkchat.engine.Presence;
import dev.quarkchat.engine.ReadPositions;
import dev.quarkchat.engine.UserBus;
import dev.quarkchat.engine.UserConnections;
import dev.quarkchat.engine.postgres.PostgresBroker;
import dev.quarkchat.engine.postgres.PostgresMemberships;
import dev.quarkchat.engine.postgres.PostgresReadPositions;
import dev.quarkchat.engine.postgres.PostgresStore;
import dev.quarkchat.engine.postgres.Retention;
import dev.quarkchat.engine.redis.RedisBackplaneConfig;
import dev.quarkchat.engine.redis.RedisBroker;
import dev.quarkchat.engine.redis.RedisFanout;
import dev.quarkchat.engine.redis.RedisLink;
import dev.quarkchat.engine.redis.RedisMemberships;
import dev.quarkchat.engine.redis.RedisPresence;
import dev.quarkchat.engine.redis.RedisReadPositions;
import dev.quarkchat.engine.redis.RedisUserBus;
import dev.quarkchat.engine.redis.RedisUserConnections;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the engines {@code chat.backplane} and {@code chat.history.store} ask for. Messages are
 * ordered and kept by the memory engine or Redis, or by PostgreSQL ({@code postgres}), which then
 * hands them to this instance's rooms or, with Redis, to every instance's; presence is in memory or
 * in Redis; read positions and room lists are kept beside the messages, and frames for one user
 * travel to the other instances through Redis, where each user's connections are counted too.
 * Nothing else knows which ones run; a new engine is a new case here.
 */
@ApplicationScoped
class RoomEngines {

    /**
     * A single instance's presence announces through its broker or fan-out, so they are made
     * together.
     */
    private MemoryBroker memoryBroker;

    private LocalFanout localFanout;

    @Produces
    @Singleton
    Broker broker(
            ChatConfig config,
            HistoryConfig history,
            IdempotencyKeys sentIds,
            Instance<RedisLink> link,
            Instance<RedisBackplaneConfig> redis,
            IdempotencyConfig idempotency,
            Instance<PostgresStore> store,
            Instance<Retention> retention) {
        boolean shared = config.backplane() == Backplane.REDIS;
        if (history.store() == HistoryConfig.Store.POSTGRES) {
            Fanout fanout = shared ? new RedisFanout(link.get(), redis.get()) : localFanout();
            return new PostgresBroker(store.get(), retention.get(), fanout, history);
        }
        if (shared) {
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
        if (history.store() == HistoryConfig.Store.POSTGRES) {
            return new MemoryPresence(localFanout()::announce);
        }
        return new MemoryPresence(memoryBroker(history, sentIds)::announce);
    }

    /** Read positions live where the messages they point into do. */
    @Produces
    @Singleton
    ReadPositions readPositions(
            ChatConfig config,
            HistoryConfig history,
            Instance<RedisLink> link,
            Instance<RedisBackplaneConfig> redis,
            Instance<PostgresStore> store) {
        if (history.store() == HistoryConfig.Store.POSTGRES) {
            return new PostgresReadPositions(store.get());
        }
        if (config.backplane() == Backplane.REDIS) {
            return new RedisReadPositions(link.get(), redis.get());
        }
        return new MemoryReadPositions(config.maxUserRoomsInMemory());
    }

    /** Room lists live with the read positions. */
    @Produces
    @Singleton
    Memberships memberships(
            ChatConfig config,
            HistoryConfig history,
            Instance<RedisLink> link,
            Instance<RedisBackplaneConfig> redis,
            Instance<PostgresStore> store) {
        if (history.store() == HistoryConfig.Store.POSTGRES) {
            return new PostgresMemberships(store.get(), config.maxListedRooms());
        }
        if (config.backplane() == Backplane.REDIS) {
            return new RedisMemberships(link.get(), redis.get(), config.maxListedRooms());
        }
        return new MemoryMemberships(config.maxListedRooms(), config.maxUserRoomsInMemory());
    }

    /** Frames for one user reach its connections on other instances through Redis. */
    @Produces
    @Singleton
    UserBus userBus(ChatConfig config, Instance<RedisLink> link) {
        return config.backplane() == Backplane.REDIS
                ? new RedisUserBus(link.get())
                : new LocalUserBus();
    }

    /** A user's connections are counted where its presence is. */
    @Produces
    @Singleton
    UserConnections userConnections(
            ChatConfig config, Instance<RedisLink> link, Instance<RedisBackplaneConfig> redis) {
        return config.backplane() == Backplane.REDIS
                ? new RedisUserConnections(link.get(), redis.get())
                : new MemoryUserConnections();
    }

    private synchronized MemoryBroker memoryBroker(HistoryConfig history, IdempotencyKeys sentIds) {
        if (memoryBroker == null) {
            memoryBroker = new MemoryBroker(new MemoryHistoryStore(history.size()), sentIds);
        }
        return memoryBroker;
    }

    private synchronized LocalFanout localFanout() {
        if (localFanout == null) {
            localFanout = new LocalFanout();
        }
        return localFanout;
    }
}
