package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.Fanout;
import dev.quarkchat.engine.RoomEvent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The fan-out of instances that share rooms through Redis while another store orders and keeps the
 * messages ({@code chat.history.store=postgres}): a committed message is published on the event
 * room's channel that presence already uses, so every instance with members there hears both in one
 * order.
 */
public final class RedisFanout implements Fanout {

    private final RedisLink link;
    private final RedisBackplaneConfig config;

    public RedisFanout(RedisLink link, RedisBackplaneConfig config) {
        this.link = link;
        this.config = config;
    }

    @Override
    public void start(Consumer<RoomEvent> events, Runnable streamResumed) {
        link.start(events, streamResumed);
    }

    @Override
    public CompletionStage<Void> listen(String room) {
        return link.holdRoom(room);
    }

    @Override
    public void stopListening(String room) {
        link.releaseRoom(room);
    }

    @Override
    public CompletionStage<Void> publish(RoomEvent.Message message) {
        return link.run(
                        RedisScript.PUBLISH,
                        List.of(link.key(message.room(), "meta")),
                        List.of(
                                link.roomChannel(message.room()),
                                RedisEventFormat.message(message)))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    @Override
    public boolean available() {
        return link.isUp();
    }

    @Override
    public boolean available(String room) {
        return link.isUp(room);
    }

    @Override
    public List<String> unreachableShards() {
        return link.unreachableShards();
    }

    @Override
    public Optional<Duration> catchUpInterval() {
        return Optional.of(config.checkInterval());
    }
}
