package dev.quarkchat.engine.postgres;

import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.engine.Post;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Group commit: posts that arrive while a commit is under way wait, and go together in the next one
 * (up to {@code maxBatch}), so that a busy instance makes one round trip for many messages and an
 * idle one makes it for each at once. One commit runs at a time, batches in arrival order, so that
 * this instance's posts of a room get their seqs in the order they came.
 *
 * @param <R> what a commit answers for each post
 */
final class GroupCommit<R> {

    private final int maxBatch;
    private final int maxQueued;
    private final Function<List<Post>, CompletionStage<List<R>>> commit;
    private final ArrayDeque<Waiting<R>> queue = new ArrayDeque<>();
    private boolean committing;

    private record Waiting<R>(Post post, CompletableFuture<R> answer) {}

    /**
     * @param commit commits a batch and answers for each post, in order; it runs one at a time, and
     *     must have completed the batch's work (publishing, say) before its stage completes
     */
    GroupCommit(
            int maxBatch, int maxQueued, Function<List<Post>, CompletionStage<List<R>>> commit) {
        this.maxBatch = maxBatch;
        this.maxQueued = maxQueued;
        this.commit = commit;
    }

    /** Queues the post for the next commit; refused at once when too many are waiting. */
    CompletionStage<R> submit(Post post) {
        CompletableFuture<R> answer = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            if (queue.size() >= maxQueued) {
                return CompletableFuture.failedFuture(
                        new EngineUnavailableException("too many messages wait for the store"));
            }
            queue.addLast(new Waiting<>(post, answer));
            start = !committing;
            committing = true;
        }
        if (start) {
            commitNext();
        }
        return answer;
    }

    private void commitNext() {
        List<Waiting<R>> batch = new ArrayList<>();
        synchronized (this) {
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.pollFirst());
            }
            if (batch.isEmpty()) {
                committing = false;
                return;
            }
        }
        List<Post> posts = new ArrayList<>(batch.size());
        batch.forEach(waiting -> posts.add(waiting.post()));
        CompletionStage<List<R>> committed;
        try {
            committed = commit.apply(posts);
        } catch (RuntimeException failure) {
            committed = CompletableFuture.failedFuture(failure);
        }
        committed.whenComplete(
                (answers, failure) -> {
                    for (int i = 0; i < batch.size(); i++) {
                        if (failure == null) {
                            batch.get(i).answer().complete(answers.get(i));
                        } else {
                            batch.get(i).answer().completeExceptionally(failure);
                        }
                    }
                    commitNext();
                });
    }
}
