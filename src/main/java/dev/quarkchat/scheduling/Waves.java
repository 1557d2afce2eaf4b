package dev.quarkchat.scheduling;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Runs an asynchronous step for each of many items, a wave of them at a time: a periodic sweep over
 * thousands of rooms or users must not put thousands of requests in flight at once, since a client
 * refuses requests past its queue (the Redis client's {@code max-waiting-handlers}) and they would
 * crowd out the messages sent meanwhile.
 */
public final class Waves {

    /** How many requests a periodic sweep keeps in flight: far below that client's 2048. */
    public static final int REQUESTS_PER_WAVE = 100;

    private Waves() {}

    /**
     * Applies {@code step} to {@code atOnce} items, then to the next ones once those are done, and
     * so on; a step that fails does not stop the others (it reports its own failure).
     *
     * @return done when every step is
     */
    public static <T> CompletionStage<Void> inWaves(
            List<T> items, int atOnce, Function<T, CompletionStage<?>> step) {
        CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
        for (int from = 0; from < items.size(); from += atOnce) {
            List<T> wave = items.subList(from, Math.min(items.size(), from + atOnce));
            previous = previous.thenCompose(done -> all(wave, step));
        }
        return previous;
    }

    private static <T> CompletableFuture<Void> all(
            List<T> wave, Function<T, CompletionStage<?>> step) {
        CompletableFuture<?>[] steps = new CompletableFuture<?>[wave.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = step.apply(wave.get(i)).toCompletableFuture().exceptionally(failed -> null);
        }
        return CompletableFuture.allOf(steps);
    }
}
