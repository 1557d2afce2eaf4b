package dev.quarkchat.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

/** The single instance's store of message ids alone: its caps, its window and its epochs. */
class IdempotencyKeysTest {

    private static final String EPOCH = "e1";
    private static final TextDigest TEXT = TextDigest.of("hello");

    @Test
    void aRememberedIdIsFoundWithHowItWasPosted() {
        IdempotencyKeys keys = keys(Duration.ofMinutes(10), 10, 100);
        Instant ts = Instant.now();

        keys.remember("ann", "lobby", "c-1", EPOCH, 7, ts, TEXT);

        IdempotencyKeys.Posted posted = keys.find("ann", "lobby", "c-1", EPOCH).orElseThrow();
        assertThat(posted.seq()).isEqualTo(7);
        assertThat(posted.ts()).isEqualTo(ts);
        assertThat(posted.text())
                .isEqualTo(TextDigest.of("hello"))
                .isNotEqualTo(TextDigest.of("hello!"));
        assertThat(keys.find("bob", "lobby", "c-1", EPOCH)).as("another user").isEmpty();
        assertThat(keys.find("ann", "garden", "c-1", EPOCH)).as("another room").isEmpty();
        assertThat(keys.find("ann", "lobby", "c-1", "e2"))
                .as("another epoch of the room")
                .isEmpty();
    }

    @Test
    void eachUserKeepsItsNewestIdsUpToItsCap() {
        IdempotencyKeys keys = keys(Duration.ofMinutes(10), 5, 100);

        for (int n = 1; n <= 20; n++) {
            keys.remember("ann", "lobby", "c-" + n, EPOCH, n, Instant.now(), TEXT);
        }
        keys.remember("bob", "lobby", "c-1", EPOCH, 21, Instant.now(), TEXT);

        assertThat(keys.size()).isEqualTo(6);
        assertThat(keys.find("ann", "lobby", "c-15", EPOCH)).isEmpty();
        assertThat(keys.find("ann", "lobby", "c-16", EPOCH)).isPresent();
        assertThat(keys.find("bob", "lobby", "c-1", EPOCH)).isPresent();
    }

    @Test
    void theInstanceKeepsItsNewestIdsUpToItsCap() {
        IdempotencyKeys keys = keys(Duration.ofMinutes(10), 5, 12);

        for (String user : new String[] {"ann", "bob", "cat", "dan"}) {
            for (int n = 1; n <= 5; n++) {
                keys.remember(user, "lobby", "c-" + n, EPOCH, n, Instant.now(), TEXT);
            }
        }

        assertThat(keys.size()).isEqualTo(12);
        assertThat(keys.find("ann", "lobby", "c-5", EPOCH)).isEmpty();
        assertThat(keys.find("bob", "lobby", "c-3", EPOCH)).isEmpty();
        assertThat(keys.find("bob", "lobby", "c-4", EPOCH)).isPresent();
        assertThat(keys.find("dan", "lobby", "c-1", EPOCH)).isPresent();
    }

    @Test
    void anIdPostedAgainInANewEpochIsKeptOnce() {
        IdempotencyKeys keys = keys(Duration.ofMinutes(10), 5, 100);
        keys.remember("ann", "lobby", "c-1", EPOCH, 9, Instant.now(), TEXT);

        keys.remember("ann", "lobby", "c-1", "e2", 1, Instant.now(), TEXT);

        assertThat(keys.size()).isEqualTo(1);
        assertThat(keys.find("ann", "lobby", "c-1", "e2").orElseThrow().seq()).isEqualTo(1);
    }

    @Test
    void expiredIdsAreForgottenWithoutATimerOfTheirOwn() {
        IdempotencyKeys keys = keys(Duration.ofMillis(200), 5, 100);
        keys.remember("ann", "lobby", "c-1", EPOCH, 1, Instant.now(), TEXT);
        keys.remember("bob", "lobby", "c-1", EPOCH, 2, Instant.now(), TEXT);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> keys.find("ann", "lobby", "c-1", EPOCH).isEmpty());

        assertThat(keys.size()).as("the lookup forgot every expired id on its way").isZero();
    }

    private static IdempotencyKeys keys(Duration window, int maxKeysPerUser, int maxKeys) {
        return new IdempotencyKeys(new Settings(window, maxKeysPerUser, maxKeys), null);
    }

    private record Settings(Duration window, int maxKeysPerUser, int maxKeys)
            implements IdempotencyConfig {}
}
