package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.RoomEvent;

import org.junit.jupiter.api.Test;

/**
 * The events the scripts publish, read back: the last field keeps its spaces, anything else is
 * ignored.
 */
class RedisEventFormatTest {

    @Test
    void aMessageKeepsItsWholeFrame() {
        assertThat(RedisEventFormat.parse("M den e1 42 {\"text\":\"a b  c\"}"))
                .contains(new RoomEvent.Message("den", "e1", 42, "{\"text\":\"a b  c\"}"));
    }

    @Test
    void joinAndLeaveKeepUserNamesWithSpaces() {
        assertThat(RedisEventFormat.parse("J den c-1 Ann Lee"))
                .contains(new RoomEvent.Joined("den", "c-1", "Ann Lee"));
        assertThat(RedisEventFormat.parse("J den - ann"))
                .contains(new RoomEvent.Joined("den", RoomEvent.NO_CONNECTION, "ann"));
        assertThat(RedisEventFormat.parse("L den Ann Lee"))
                .contains(new RoomEvent.Left("den", "Ann Lee"));
    }

    @Test
    void aReadPositionKeepsItsUserNameWithSpaces() {
        RoomEvent.Read read = new RoomEvent.Read("den", "c-7", "Ann Lee", 120);

        assertThat(RedisEventFormat.read(read)).isEqualTo("R den 120 c-7 Ann Lee");
        assertThat(RedisEventFormat.parse(RedisEventFormat.read(read))).contains(read);
    }

    @Test
    void whatThisVersionDoesNotUnderstandIsIgnored() {
        assertThat(RedisEventFormat.parse("M den e1 not-a-seq {}")).isEmpty();
        assertThat(RedisEventFormat.parse("M den e1 42")).isEmpty();
        assertThat(RedisEventFormat.parse("J den c-1")).isEmpty();
        assertThat(RedisEventFormat.parse("L den")).isEmpty();
        assertThat(RedisEventFormat.parse("R den 12 c-7")).isEmpty();
        assertThat(RedisEventFormat.parse("R den twelve c-7 ann")).isEmpty();
        assertThat(RedisEventFormat.parse("X den something")).isEmpty();
        assertThat(RedisEventFormat.parse("")).isEmpty();
    }
}
