package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.Ban;
import dev.quarkchat.engine.ModerationCommand;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Optional;

/**
 * How moderation commands travel on the shared channel beside the notices to users ({@link
 * RedisUserBus}), and how bans are kept in Redis: {@code X <origin> <command>}, where the origin
 * names the instance that published it and the command is a JSON object. JSON, because user names
 * and reasons may hold spaces and quotes; moderation is rare, so its size does not matter.
 */
final class RedisModerationFormat {

    private static final String PREFIX = "X ";

    private RedisModerationFormat() {}

    /** Whether a payload on the shared channel is a moderation command rather than a notice. */
    static boolean isCommand(String payload) {
        return payload.startsWith(PREFIX);
    }

    /** The payload that carries a command from the instance {@code origin}. */
    static String command(String origin, ModerationCommand command) {
        JsonObject json;
        if (command instanceof ModerationCommand.Disconnect disconnect) {
            json = new JsonObject().put("type", "disconnect").put("user", disconnect.user());
        } else if (command instanceof ModerationCommand.Kick kick) {
            json =
                    new JsonObject()
                            .put("type", "kick")
                            .put("user", kick.user())
                            .put("room", kick.room());
        } else if (command instanceof ModerationCommand.Banned banned) {
            json = new JsonObject().put("type", "banned").put("ban", ban(banned.ban()));
        } else {
            ModerationCommand.Lifted lifted = (ModerationCommand.Lifted) command;
            json =
                    new JsonObject()
                            .put("type", "lifted")
                            .put("user", lifted.user())
                            .put("room", lifted.room().orElse(null));
        }
        return PREFIX + origin + " " + json.encode();
    }

    /**
     * A command published by another instance than {@code self}; empty for one's own or garbage.
     */
    static Optional<ModerationCommand> parse(String payload, String self) {
        int originEnd = payload.indexOf(' ', PREFIX.length());
        if (!isCommand(payload)
                || originEnd < 0
                || payload.substring(PREFIX.length(), originEnd).equals(self)) {
            return Optional.empty();
        }
        try {
            JsonObject json = new JsonObject(payload.substring(originEnd + 1));
            return switch (String.valueOf(json.getString("type"))) {
                case "disconnect" ->
                        Optional.of(new ModerationCommand.Disconnect(required(json, "user")));
                case "kick" ->
                        Optional.of(
                                new ModerationCommand.Kick(
                                        required(json, "user"), required(json, "room")));
                case "banned" ->
                        Optional.of(new ModerationCommand.Banned(ban(json.getJsonObject("ban"))));
                case "lifted" ->
                        Optional.of(
                                new ModerationCommand.Lifted(
                                        required(json, "user"),
                                        Optional.ofNullable(json.getString("room"))));
                default -> Optional.empty();
            };
        } catch (DecodeException | ClassCastException | IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }

    /** A ban as JSON: as the store keeps it and as a {@code banned} command carries it. */
    static JsonObject ban(Ban ban) {
        return new JsonObject()
                .put("user", ban.user())
                .put("room", ban.room().orElse(null))
                .put("until", ban.until().map(Instant::toEpochMilli).orElse(null))
                .put("reason", ban.reason())
                .put("by", ban.by())
                .put("at", ban.at().toEpochMilli());
    }

    /**
     * Reads a ban written by {@link #ban(Ban)}.
     *
     * @throws IllegalArgumentException if it is not one
     */
    static Ban ban(JsonObject json) {
        if (json == null) {
            throw new IllegalArgumentException("no ban");
        }
        Long until = json.getLong("until");
        Long at = json.getLong("at");
        if (at == null) {
            throw new IllegalArgumentException("a ban without its time");
        }
        return new Ban(
                required(json, "user"),
                Optional.ofNullable(json.getString("room")),
                Optional.ofNullable(until).map(Instant::ofEpochMilli),
                required(json, "reason"),
                required(json, "by"),
                Instant.ofEpochMilli(at));
    }

    private static String required(JsonObject json, String field) {
        String value = json.getString(field);
        if (value == null) {
            throw new IllegalArgumentException("no " + field);
        }
        return value;
    }
}
