package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.ModerationBus;
import dev.quarkchat.engine.ModerationCommand;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The moderation bus of instances that share rooms through Redis: commands are published on the
 * shared channel every instance listens to ({@link RedisModerationFormat}), marked with this
 * instance's name so that it skips its own.
 */
public final class RedisModerationBus implements ModerationBus {

    private final RedisLink link;

    /** Names this process; ThreadLocalRandom keeps it out of a native image's heap. */
    private final String origin = Long.toHexString(ThreadLocalRandom.current().nextLong());

    public RedisModerationBus(RedisLink link) {
        this.link = link;
    }

    @Override
    public void start(Consumer<ModerationCommand> commands) {
        link.onModeration(
                payload -> RedisModerationFormat.parse(payload, origin).ifPresent(commands));
    }

    @Override
    public CompletionStage<Void> publish(ModerationCommand command) {
        return link.run(
                        RedisScript.PUBLISH,
                        List.of(link.sharedKey("bans")),
                        List.of(link.channel(), RedisModerationFormat.command(origin, command)))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }
}
