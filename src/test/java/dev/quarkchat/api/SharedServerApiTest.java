package dev.quarkchat.api;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link ServerApiTest}, over the Redis backplane: rooms, members and history are read from Redis,
 * and the publish travels through it.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedServerApiTest extends ServerApiTest {

    @Override
    boolean emptyRoomsTakeMessages() {
        return true;
    }
}
