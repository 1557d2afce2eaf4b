package dev.quarkchat.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/** Steps run a wave at a time, every one of them, whatever the others do. */
class WavesTest {

    @Test
    void aWaveStartsOnlyOnceThePreviousOneIsDone() {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        CompletionStage<Void> all =
                Waves.inWaves(
                        List.of(1, 2, 3, 4, 5),
                        2,
                        item -> {
                            CompletableFuture<Void> step = new CompletableFuture<>();
                            started.add(step);
                            return step;
                        });

        assertThat(started).hasSize(2);
        started.get(0).complete(null);
        assertThat(started).as("one of the wave is still running").hasSize(2);
        started.get(1).completeExceptionally(new IllegalStateException("refused"));
        assertThat(started).as("a failed step does not stop the next wave").hasSize(4);
        started.get(2).complete(null);
        started.get(3).complete(null);
        assertThat(started).hasSize(5);
        assertThat(all.toCompletableFuture()).isNotDone();
        started.get(4).complete(null);
        assertThat(all.toCompletableFuture()).isCompleted();
    }

    @Test
    void stepsThatAreDoneAtOnceRunThroughManyWaves() {
        List<Integer> ran = new ArrayList<>();
        CompletionStage<Void> all =
                Waves.inWaves(
                        IntStream.range(0, 100_000).boxed().toList(),
                        1,
                        item -> {
                            ran.add(item);
                            return CompletableFuture.completedFuture(null);
                        });

        assertThat(all.toCompletableFuture()).isCompleted();
        assertThat(ran).hasSize(100_000).startsWith(0, 1, 2).endsWith(99_999);
    }

    @Test
    void nothingToDoIsDone() {
        assertThat(
                        Waves.inWaves(List.of(), 3, item -> new CompletableFuture<>())
                                .toCompletableFuture())
                .isCompleted();
    }
}
