package dev.quarkchat.testing;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two members of the lobby who keep talking while a test abuses the service: once the abuse is
 * over, a message of one must still reach the other. Hostile input must cost its sender alone.
 */
public final class Canaries {

    private static final AtomicInteger MESSAGES = new AtomicInteger();

    private final String name;
    private final ChatClient sender;
    private final ChatClient receiver;

    private Canaries(String name, ChatClient sender, ChatClient receiver) {
        this.name = name;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** Connects the two, as users {@code <name>-a} and {@code <name>-b}. */
    public static Canaries connect(URI base, String name) {
        return new Canaries(
                name,
                ChatClient.connect(base, TestTokens.valid(name + "-a")),
                ChatClient.connect(base, TestTokens.valid(name + "-b")));
    }

    /** The one who speaks. */
    public ChatClient sender() {
        return sender;
    }

    /** The one who listens. */
    public ChatClient receiver() {
        return receiver;
    }

    /** Fails unless a message of one still reaches the other; then both leave. */
    public void assertStillTalkingAndLeave() {
        String id = name + "-" + MESSAGES.incrementAndGet();
        sender.send("lobby", "still here", id);
        receiver.awaitMessage(id);
        sender.close();
        receiver.close();
    }
}
