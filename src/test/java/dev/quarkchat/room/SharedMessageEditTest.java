package dev.quarkchat.room;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link MessageEditTest}, with the rooms shared through Redis, whose log is read directly with the
 * application's own Redis client.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedMessageEditTest extends MessageEditTest {

    @Inject Instance<Redis> client;

    @Override
    protected List<String> stored(String room) {
        List<String> stored = new ArrayList<>();
        for (Response key : redis(Request.cmd(Command.KEYS).arg("*{" + room + "}:*"))) {
            if (key.toString().endsWith(":log")) {
                for (Response entry :
                        redis(Request.cmd(Command.XRANGE).arg(key.toString()).arg("-").arg("+"))) {
                    // An entry is [id, [field, value, ...]]: the fields and values are what is
                    // kept.
                    entry.get(1).forEach(part -> stored.add(part.toString()));
                }
            }
        }
        return stored;
    }

    private Response redis(Request request) {
        return client.get().send(request).await().atMost(ChatClient.TIMEOUT);
    }
}
