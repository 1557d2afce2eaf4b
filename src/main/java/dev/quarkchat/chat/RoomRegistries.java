package dev.quarkchat.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import dev.quarkchat.backplane.Backplane;
import dev.quarkchat.backplane.RedisBackplaneConfig;
import dev.quarkchat.backplane.RedisLink;
import dev.quarkchat.backplane.RedisRooms;
import dev.quarkchat.history.HistoryConfig;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.session.FrameSender;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;

/**
 * Makes the {@link RoomRegistry} that {@code chat.backplane} asks for, at startup: with Redis, the instance
 * connects and subscribes before it reports ready.
 */
@ApplicationScoped
class RoomRegistries {

    @Produces
    @ApplicationScoped
    @Startup
    RoomRegistry roomRegistry(ChatConfig config, FrameSender sender, ChatMetrics metrics, HistoryConfig history,
            Instance<RedisRooms> store, Instance<RedisLink> link, Instance<RedisBackplaneConfig> redisConfig,
            Vertx vertx, IdempotencyKeys sentIds) {
        if (config.backplane() == Backplane.REDIS) {
            return new SharedRoomRegistry(store.get(), link.get(), sender, metrics, vertx, redisConfig.get(),
                    MemberListing.of(config));
        }
        return new LocalRoomRegistry(sender, history, metrics, MemberListing.of(config), sentIds);
    }
}
