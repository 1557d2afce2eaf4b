package dev.quarkchat.engine.redis;

import static org.awaitility.Awaitility.await;

import dev.quarkchat.engine.BanStore;
import dev.quarkchat.engine.ModerationBus;
import dev.quarkchat.engine.ModerationCommand;
import dev.quarkchat.testing.ChatClient;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The moderation engines of another instance, on a Redis link of their own to the Redis of the
 * application under test, as a second process has them: its bus, which keeps every command it hears
 * from the application, and its ban store.
 */
public final class OtherRedisInstance implements AutoCloseable {

    private final RedisLink link;
    private final RedisModerationBus bus;
    private final RedisBanStore store;
    private final List<ModerationCommand> heard = new CopyOnWriteArrayList<>();

    public OtherRedisInstance() {
        link = AnotherLink.create();
        bus = new RedisModerationBus(link);
        store = new RedisBanStore(link);
        bus.start(heard::add);
        link.start(event -> {}, () -> {});
        await().atMost(ChatClient.TIMEOUT).until(link::isUp);
    }

    public ModerationBus bus() {
        return bus;
    }

    public BanStore store() {
        return store;
    }

    /** The commands this instance heard from the others, in order. */
    public List<ModerationCommand> heard() {
        return List.copyOf(heard);
    }

    @Override
    public void close() {
        link.stop(null);
    }
}
