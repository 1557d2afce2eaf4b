package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.UserBus;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The user bus of instances that share rooms through Redis: frames travel on the shared channel
 * beside the room events, as {@code U <origin> <json>}, where the origin names the instance that
 * published it and the JSON holds the user and the frame (user names may hold spaces).
 */
public final class RedisUserBus implements UserBus {

    private static final String PREFIX = "U ";

    private final RedisLink link;

    /** Names this process; ThreadLocalRandom keeps it out of a native image's heap. */
    private final String origin = Long.toHexString(ThreadLocalRandom.current().nextLong());

    /** A frame for a user's connections, as published. */
    record Notice(String user, String frame) {}

    public RedisUserBus(RedisLink link) {
        this.link = link;
    }

    @Override
    public void start(BiConsumer<String, String> frames) {
        link.onUserNotice(
                payload ->
                        parse(payload, origin)
                                .ifPresent(notice -> frames.accept(notice.user(), notice.frame())));
    }

    @Override
    public CompletionStage<Void> publish(String user, String frame) {
        return link.run(
                        RedisScript.PUBLISH,
                        List.of(link.channel()),
                        List.of(link.channel(), payload(origin, user, frame)))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    /**
     * Whether a payload on the shared channel is a frame for a user rather than a moderation
     * command.
     */
    static boolean isNotice(String payload) {
        return payload.startsWith(PREFIX);
    }

    static String payload(String origin, String user, String frame) {
        return PREFIX
                + origin
                + " "
                + new JsonObject().put("user", user).put("frame", frame).encode();
    }

    /** A frame published by another instance than {@code self}; empty for one's own or garbage. */
    static Optional<Notice> parse(String payload, String self) {
        int originEnd = payload.indexOf(' ', PREFIX.length());
        if (!isNotice(payload)
                || originEnd < 0
                || payload.substring(PREFIX.length(), originEnd).equals(self)) {
            return Optional.empty();
        }
        try {
            JsonObject json = new JsonObject(payload.substring(originEnd + 1));
            return json.getValue("user") instanceof String user
                            && json.getValue("frame") instanceof String frame
                    ? Optional.of(new Notice(user, frame))
                    : Optional.empty();
        } catch (DecodeException garbage) {
            return Optional.empty();
        }
    }
}
