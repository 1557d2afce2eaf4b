package dev.quarkchat.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** The moderation bus of a single instance: there is no other instance to tell. */
public final class LocalModerationBus implements ModerationBus {

    @Override
    public void start(Consumer<ModerationCommand> commands) {
        // Nobody else publishes.
    }

    @Override
    public CompletionStage<Void> publish(ModerationCommand command) {
        return CompletableFuture.completedFuture(null);
    }
}
