package dev.quarkchat.engine.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts that change a room's state in Redis, read from {@code src/main/resources/redis/}.
 * Redis runs each one atomically and delivers what it publishes in the order the scripts ran, which
 * is what makes a room's {@code seq} one gap-free sequence across instances and lets a joining
 * instance find the exact seam between its snapshot and the live events.
 *
 * <p>Keys of a room (all with the room name in braces, so that they share a Redis Cluster slot):
 * {@code meta} (hash: epoch, seq, and the replication id of the primary that wrote it last), {@code
 * log} (stream of frames, IDs {@code <seq>-0}, capped at the history size), {@code who} (presence
 * entries {@code <user>\0<instance>}, all with score 0, so sorted by user), {@code alive} (the same
 * entries, scored by when they expire) and {@code users} (hash: how many entries each user has, so
 * that a user is counted and announced once however many instances it is on); per user who sent
 * with message ids, {@code ids:<user>} and {@code id-ages:<user>}, which expire a window after the
 * user's last such send; per user typing, {@code typing:<user>}, which expires an interval after
 * the last typing event it let through; per user who read the room, {@code read:<user>} (its read
 * position, {@code <epoch> <seq>}), which expires a room TTL after it last moved. Bans have keys of
 * their own ({@link RedisBanStore}). The list of rooms with members is kept apart, in {@code
 * {~rooms}:names} and {@code {~rooms}:alive} (no room name holds a {@code ~}), and so is each
 * user's room list, in {@code {~user:<user>}:rooms} and {@code {~user:<user>}:peers}, and the
 * connections it holds on every instance, in {@code {~user:<user>}:connections}. Each script file
 * says what it takes and returns.
 */
enum RedisScript {
    APPEND("clock.lua", "room-epoch.lua", "append.lua"),
    HELD("held.lua"),
    AMEND("room-epoch.lua", "amend.lua"),
    HISTORY("room-epoch.lua", "history.lua"),
    PAGE("room-epoch.lua", "page.lua"),
    PUBLISH("publish.lua"),
    TYPING("typing.lua"),
    UNREAD("unread.lua"),
    READ_POSITION("read-position.lua"),
    READ_ADVANCE("read-advance.lua"),
    LISTED_ADD("clock.lua", "listed-add.lua"),
    LISTED_REMOVE("listed-remove.lua"),
    LISTED("listed.lua"),
    MEMBERS("clock.lua", "presence.lua", "members.lua"),
    LEAVE("presence.lua", "leave.lua"),
    REFRESH("clock.lua", "presence.lua", "refresh.lua"),
    BAN_PUT("ban-put.lua"),
    BAN_LIFT("ban-purge.lua", "ban-lift.lua"),
    BAN_LIST("ban-purge.lua", "ban-list.lua"),
    POSITION("position.lua"),
    MEMBER_PAGE("clock.lua", "presence.lua", "member-page.lua"),
    ROOMS_KEEP("clock.lua", "rooms-keep.lua"),
    ROOMS_PAGE("clock.lua", "rooms-page.lua"),
    CONNECTIONS_ADMIT("clock.lua", "connections-admit.lua"),
    CONNECTIONS_REFRESH("clock.lua", "connections-refresh.lua"),
    CONNECTIONS_RELEASE("connections-release.lua");

    private final String source;

    /**
     * @param files the script's file, after the files of the functions it calls
     */
    RedisScript(String... files) {
        StringBuilder source = new StringBuilder();
        for (String file : files) {
            source.append(read(file));
        }
        this.source = source.toString();
    }

    /**
     * The script as loaded on one primary: it publishes with the command in its {@code PUBLISH}
     * local, which the pub/sub of the Redis it runs on decides, and knows that primary by its
     * replication id, in {@code WRITER} ({@code room-epoch.lua}).
     */
    String source(PubSub pubSub, String writer) {
        return "local PUBLISH = '"
                + pubSub.publish()
                + "'\nlocal WRITER = '"
                + writer
                + "'\n"
                + source;
    }

    private static String read(String file) {
        String path = "/redis/" + file;
        try (InputStream in = RedisScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Lua script " + path + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("Cannot read Lua script " + path, unreadable);
        }
    }
}
