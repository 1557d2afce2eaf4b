package dev.quarkchat.engine;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Carries moderation commands to the other instances: nowhere on a single instance, through Redis
 * with the backplane. The instance that takes a command carries it out itself first, so the bus
 * never hands an instance its own commands.
 */
public interface ModerationBus {

    /** Starts listening: every other instance's command is handed to {@code commands}. */
    void start(Consumer<ModerationCommand> commands);

    /** Hands the command to every other instance. */
    CompletionStage<Void> publish(ModerationCommand command);
}
