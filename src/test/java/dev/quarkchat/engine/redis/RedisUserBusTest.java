package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Frames for a user on the event channel: read back from other instances only, garbage ignored. */
class RedisUserBusTest {

    @Test
    void aFrameForAUserWithSpacesInItsNameTravelsWhole() {
        String payload =
                RedisUserBus.payload("a1", "Ann Lee", "{\"type\":\"room\",\"room\":\"x y\"}");

        assertThat(RedisUserBus.isNotice(payload)).isTrue();
        assertThat(RedisUserBus.parse(payload, "b2"))
                .contains(
                        new RedisUserBus.Notice("Ann Lee", "{\"type\":\"room\",\"room\":\"x y\"}"));
        assertThat(RedisUserBus.parse(payload, "a1")).as("its own").isEmpty();
    }

    @Test
    void whatIsNotAFrameForAUserIsIgnored() {
        assertThat(RedisUserBus.isNotice("M den e1 1 {}")).isFalse();
        assertThat(RedisUserBus.parse("U a1", "b2")).isEmpty();
        assertThat(RedisUserBus.parse("U a1 not-json", "b2")).isEmpty();
        assertThat(RedisUserBus.parse("U a1 {\"user\":\"ann\"}", "b2")).isEmpty();
        assertThat(RedisUserBus.parse("U a1 {\"user\":1,\"frame\":2}", "b2")).isEmpty();
    }
}
