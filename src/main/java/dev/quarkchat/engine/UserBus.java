package dev.quarkchat.engine;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Carries frames meant for one user, wherever its connections are (a conversation opened with it, a
 * mention), to the other instances: nowhere on a single instance, through Redis with the backplane.
 * The instance that publishes hands the frame to its own connections itself, so the bus never hands
 * an instance its own frames.
 */
public interface UserBus {

    /** Starts listening: every other instance's frame is handed to {@code frames} with its user. */
    void start(BiConsumer<String, String> frames);

    /** Hands the frame for the user's connections to every other instance. */
    CompletionStage<Void> publish(String user, String frame);
}
