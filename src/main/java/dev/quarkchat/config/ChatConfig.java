package dev.quarkchat.config;

import dev.quarkchat.protocol.RoomName;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the chat itself ({@code chat.*}). Every entry is listed, with its default and allowed
 * values, in the table of docs/configuration.md (ConfigurationDocsTest holds the two together); a
 * bad value stops the service at startup with the property's name.
 */
@ConfigMapping(prefix = "chat")
public interface ChatConfig {

    /** Longest text a {@code send} may carry, in Unicode code points, so that frames stay small. */
    int MAX_TEXT_LENGTH_CEILING = 16_000;

    /** Jackson's own default: no deeper limit is useful. */
    int MAX_JSON_DEPTH_CEILING = 1000;

    /** Room for at least one largest message (16 KiB) and its JSON envelope. */
    long MIN_PENDING_BYTES = 65_536;

    /**
     * The room every new connection joins on its own, so that the classic "everyone sees everyone's
     * messages" chat works without a single {@code join}. Set it to an empty value to disable it.
     */
    @WithDefault("lobby")
    Optional<
                    @Pattern(
                            regexp = RoomName.REGEX,
                            message = "must be a valid room name: " + RoomName.REGEX)
                    String>
            defaultRoom();

    /**
     * The most outbound data, in bytes, queued for one connection and not yet written to its
     * socket. A client that stops reading reaches it once its TCP buffers are full; its socket is
     * then dropped (close code 1013 offered) and counted in {@code
     * chat_sockets_dropped_total{reason="slow_consumer"}}.
     */
    @WithDefault("1048576")
    @Min(MIN_PENDING_BYTES)
    long maxPendingBytes();

    /**
     * How long a shutting-down instance waits for its close frames (1001) to be written before it
     * exits.
     */
    @WithDefault("5s")
    Duration shutdownCloseTimeout();

    /**
     * How long after posting a message its author may still edit or delete it; a connection whose
     * token carries the admin group deletes any message at any age.
     */
    @WithDefault("15m")
    @DurationMin(millis = 0)
    Duration editWindow();

    /**
     * How long before its token's {@code exp} a connection is sent {@code expiring}, so that its
     * client can send a {@code refresh} in time; at once when the token has less left as the
     * connection opens or is refreshed. 0 sends none.
     */
    @WithDefault("60s")
    @DurationMin(millis = 0)
    Duration tokenExpiryNotice();

    /**
     * Rooms whose names match this regular expression are private: only tokens that grant them (in
     * the {@code rooms} claim, or a {@code room:<name>} entry in {@code groups}) may join; others
     * get {@code forbidden}.
     */
    @WithDefault("private-.*")
    String privateRoomPattern();

    /**
     * The deepest JSON nesting a frame may have; deeper is {@code invalid_json}. Chat frames are
     * flat.
     */
    @WithDefault("16")
    @Min(1)
    @Max(MAX_JSON_DEPTH_CEILING)
    int maxJsonDepth();

    /**
     * How many rooms one connection may be in at once; one more {@code join} gets {@code
     * too_many_rooms}.
     */
    @WithDefault("100")
    @Min(1)
    int maxRoomsPerConnection();

    /** How many connections one user may hold at once; one more is closed with 1008. */
    @WithDefault("20")
    @Min(1)
    int maxConnectionsPerUser();

    /**
     * Where rooms live: {@code none} keeps them in this instance; {@code redis} shares messages,
     * sequence numbers, history and presence with every instance through Redis ({@code
     * quarkus.redis.hosts}, {@code chat.backplane.redis.*}).
     */
    @WithDefault("none")
    Backplane backplane();

    /**
     * Presence events are sent only in rooms of at most this many users: above it a join or a leave
     * would cost a frame to each of thousands of members, and a mass join would cost the square of
     * its size. The {@code memberCount} of {@code joined} still tells how many are there. 0 turns
     * presence events off.
     */
    @WithDefault("100")
    @Min(0)
    int presenceMaxRoomSize();

    /**
     * Typing events of one user in one room reach the others at most once per interval, on any
     * instance, whatever its clients send; clients show "is typing" for three intervals after the
     * latest, so that a user who keeps typing stays shown. Suppressed in rooms too large for
     * presence events.
     */
    @WithDefault("2s")
    @DurationMin(millis = 100)
    @DurationMax(minutes = 1)
    Duration typingInterval();

    /**
     * How many entries of a user in a room a single instance keeps in memory, without the backplane
     * or the durable store, which keep theirs: read positions, and rooms in users' lists, each;
     * past it, the least recently used go first.
     */
    @WithDefault("100000")
    @Min(1)
    int maxUserRoomsInMemory();

    /**
     * How many rooms a user's room list holds (its rooms on connect); joining one more drops the
     * one joined least recently from the list.
     */
    @WithDefault("100")
    @Min(1)
    int maxListedRooms();

    /**
     * The most member names a {@code joined} lists (the first to arrive; by name with Redis), so
     * that joining a crowded room costs a bounded frame; {@code memberCount} has the full count.
     */
    @WithDefault("100")
    @Min(0)
    int joinedMaxMembers();

    /**
     * How many frames a connection may send ({@code chat.rate-limit.*}). Named explicitly so that a
     * validation failure names the property as the operator writes it, not the Java method.
     */
    @WithName("rate-limit")
    RateLimit rateLimit();

    /** A token bucket per connection: every text frame takes a token. */
    interface RateLimit {

        /**
         * Sustained frames per second per connection; a frame over it gets {@code rate_limited}.
         */
        @WithDefault("20")
        @Min(1)
        int messagesPerSecond();

        /** Frames a connection may send at once after a quiet spell. */
        @WithDefault("40")
        @Min(1)
        int burst();

        /** Frames refused in a row before the connection is closed with 1008 (sustained abuse). */
        @WithDefault("50")
        @Min(1)
        int maxViolations();
    }

    /**
     * The longest message text accepted, in Unicode code points; longer ones are refused with
     * {@code invalid_text}.
     */
    @WithDefault("4000")
    @Min(1)
    @Max(MAX_TEXT_LENGTH_CEILING)
    int maxTextLength();
}
