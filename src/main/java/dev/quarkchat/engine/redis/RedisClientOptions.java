package dev.quarkchat.engine.redis;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.vertx.redis.client.RedisOptions;

import jakarta.inject.Singleton;

/**
 * The options Quarkus built for its Redis client from {@code quarkus.redis.*} (hosts, client type,
 * password, TLS), kept so that the link can open connections of its own to each shard of a Redis
 * Cluster with the same settings. Quarkus hands them over as it creates the client.
 */
@Singleton
class RedisClientOptions implements RedisOptionsCustomizer {

    private volatile RedisOptions options;

    @Override
    public void customize(String clientName, RedisOptions built) {
        if (RedisConfig.DEFAULT_CLIENT_NAME.equals(clientName)) {
            options = new RedisOptions(built);
        }
    }

    /** The default client's options; the client must have been created first. */
    RedisOptions get() {
        RedisOptions built = options;
        if (built == null) {
            throw new IllegalStateException(
                    "Quarkus created no Redis client: the backplane needs quarkus.redis.hosts");
        }
        return built;
    }
}
