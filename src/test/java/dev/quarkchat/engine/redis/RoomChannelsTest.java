package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/** The room channels alone: time is whatever each step says, in seconds as nanoseconds. */
class RoomChannelsTest {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private final RoomChannels channels = new RoomChannels(GRACE);

    @Test
    void theFirstSubscriberSubscribesAndOneBackWithinTheGraceDoesNot() {
        assertThat(channels.hold("den")).isEqualTo(RoomChannels.Hold.SUBSCRIBE);
        channels.release("den", seconds(10));

        assertThat(channels.expired(seconds(14))).isEmpty();
        assertThat(channels.hold("den")).isEqualTo(RoomChannels.Hold.HELD);
        assertThat(channels.expired(seconds(100))).isEmpty();
        assertThat(channels.inUse("den")).isTrue();
    }

    @Test
    void aChannelGoesOnceItsGraceIsOverAndIsSubscribedAgainAfter() {
        channels.hold("den");
        channels.hold("hall");
        channels.release("den", seconds(10));

        assertThat(channels.inUse("den")).isFalse();
        assertThat(channels.holds("den")).isTrue();
        assertThat(channels.expired(seconds(15))).containsExactly("den");
        assertThat(channels.holds("den")).isFalse();
        assertThat(channels.expired(seconds(16))).isEmpty();
        assertThat(channels.hold("den")).isEqualTo(RoomChannels.Hold.SUBSCRIBE);
    }

    @Test
    void theGraceRunsFromTheLastRelease() {
        channels.hold("den");
        channels.release("den", seconds(10));
        channels.hold("den");
        channels.release("den", seconds(13));

        assertThat(channels.expired(seconds(17))).isEmpty();
        assertThat(channels.expired(seconds(18))).containsExactly("den");
    }

    @Test
    void releasingARoomThatIsNotHeldChangesNothing() {
        channels.release("den", seconds(10));

        assertThat(channels.holds("den")).isFalse();
        assertThat(channels.held()).isEmpty();
        assertThat(channels.expired(seconds(100))).isEmpty();
    }

    @Test
    void aNewConnectionSubscribesAgainEveryChannelHeldInUseOrInItsGrace() {
        channels.hold("den");
        channels.hold("hall");
        channels.hold("attic");
        channels.release("hall", seconds(10));
        channels.release("attic", seconds(10));
        channels.expired(seconds(15));
        channels.hold("cellar");
        channels.release("cellar", seconds(20));

        assertThat(channels.held()).containsExactlyInAnyOrder("den", "cellar");
    }

    private static long seconds(long seconds) {
        return Duration.ofSeconds(seconds).toNanos();
    }
}
