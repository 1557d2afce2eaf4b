package dev.quarkchat.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.engine.Post;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Group commit alone: one commit at a time, the posts that came meanwhile together in the next, in
 * arrival order, bounded by batch size and queue length.
 */
class GroupCommitTest {

    /** The commits asked for, each completed by the test. */
    private final List<List<Post>> batches = new ArrayList<>();

    private final List<CompletableFuture<List<String>>> commits = new ArrayList<>();

    private final GroupCommit<String> group = new GroupCommit<>(3, 5, this::commit);

    private CompletionStage<List<String>> commit(List<Post> batch) {
        batches.add(batch);
        CompletableFuture<List<String>> committed = new CompletableFuture<>();
        commits.add(committed);
        return committed;
    }

    @Test
    void postsThatArriveDuringACommitGoTogetherInTheNextInOrder() throws Exception {
        CompletionStage<String> first = group.submit(post("a"));
        assertThat(batches).hasSize(1);
        List<CompletionStage<String>> waiting = new ArrayList<>();
        for (String text : List.of("b", "c", "d", "e")) {
            waiting.add(group.submit(post(text)));
        }
        assertThat(batches).as("one commit at a time").hasSize(1);

        answer(0);
        assertThat(first.toCompletableFuture().get()).isEqualTo("a");
        assertThat(texts(batches.get(1))).containsExactly("b", "c", "d");

        answer(1);
        assertThat(texts(batches.get(2))).containsExactly("e");
        answer(2);
        List<String> answers = new ArrayList<>();
        for (CompletionStage<String> answer : waiting) {
            answers.add(answer.toCompletableFuture().get());
        }
        assertThat(answers).containsExactly("b", "c", "d", "e");
        assertThat(batches).hasSize(3);
    }

    @Test
    void aFullQueueRefusesAtOnceAndAFailedCommitFailsOnlyItsBatch() {
        group.submit(post("a"));
        List<CompletionStage<String>> queued = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            queued.add(group.submit(post("q" + n)));
        }
        CompletableFuture<String> refused =
                group.submit(post("one too many")).toCompletableFuture();
        assertThat(refused)
                .isCompletedExceptionally()
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(EngineUnavailableException.class);

        commits.get(0).completeExceptionally(new EngineUnavailableException("down"));
        assertThat(texts(batches.get(1))).containsExactly("q0", "q1", "q2");
        answer(1);
        answer(2);
        assertThat(queued).allMatch(answer -> answer.toCompletableFuture().isDone());
        assertThat(queued.get(4).toCompletableFuture()).isCompletedWithValue("q4");
    }

    /** Completes commit {@code n} answering each post with its text. */
    private void answer(int n) {
        commits.get(n).complete(texts(batches.get(n)));
    }

    private static List<String> texts(List<Post> batch) {
        return batch.stream().map(Post::text).toList();
    }

    private static Post post(String text) {
        return Post.of("room", "ann", text, Instant.EPOCH, Optional.empty());
    }
}
