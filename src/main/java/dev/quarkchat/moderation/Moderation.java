package dev.quarkchat.moderation;

import dev.quarkchat.engine.Ban;
import dev.quarkchat.engine.BanStore;
import dev.quarkchat.engine.ModerationBus;
import dev.quarkchat.engine.ModerationCommand;
import dev.quarkchat.metrics.AuditLog;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.DisconnectReason;
import dev.quarkchat.metrics.ModerationAction;
import dev.quarkchat.protocol.CloseCodes;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.RoomName;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.UserName;
import dev.quarkchat.room.RoomRegistry;
import dev.quarkchat.scheduling.PeriodicTasks;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.ChatSessions;
import dev.quarkchat.session.FrameSender;

import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a moderator can do, on every instance: disconnect a user, kick them out of a room, ban them
 * from the chat or a room (for a while or until lifted), list and lift bans. Each action is taken
 * here first, then carried by the {@link ModerationBus} to the other instances, which hold the rest
 * of the user's connections; bans are kept in the {@link BanStore}. Every action writes one audit
 * line ({@link AuditLog}) and counts in {@code chat_moderation_actions_total}.
 *
 * <p>The caller (who asks, as the API identified them) is an argument of every action; arguments
 * are checked here, so every outcome is typed ({@link Outcome}) and nothing is ever thrown.
 */
@ApplicationScoped
public class Moderation {

    /** The longest reason, in code points: a note for the ban list, not a letter. */
    public static final int MAX_REASON_LENGTH = 500;

    /** No ban ends later: a later end is a typo, and "until lifted" says forever. */
    public static final Instant LATEST_UNTIL = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * How often every instance reloads the bans from the store: what the backplane lost (Redis was
     * unreachable when a ban was announced) applies after at most this long.
     */
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);

    /** How often a reload is tried until the first one succeeds, and a due one is looked for. */
    private static final Duration RELOAD_CHECK = Duration.ofSeconds(1);

    /** The close reasons of connections that a moderator ended: what a person may read. */
    public static final String DISCONNECTED_TEXT = "disconnected by a moderator";

    public static final String BANNED_TEXT = "banned by a moderator";

    private static final Logger LOG = Logger.getLogger(Moderation.class);

    private final BanStore store;
    private final ModerationBus bus;
    private final Bans bans;
    private final ChatSessions sessions;
    private final RoomRegistry rooms;
    private final FrameSender sender;
    private final ChatMetrics metrics;
    private final PeriodicTasks tasks;
    private final AtomicBoolean reloading = new AtomicBoolean();
    private volatile Instant lastReload;

    Moderation(
            BanStore store,
            ModerationBus bus,
            Bans bans,
            ChatSessions sessions,
            RoomRegistry rooms,
            FrameSender sender,
            ChatMetrics metrics,
            PeriodicTasks tasks) {
        this.store = store;
        this.bus = bus;
        this.bans = bans;
        this.sessions = sessions;
        this.rooms = rooms;
        this.sender = sender;
        this.metrics = metrics;
        this.tasks = tasks;
    }

    void start(@Observes StartupEvent event) {
        store.start();
        bus.start(this::carryOut);
        reload();
        tasks.every(RELOAD_CHECK, "ban reload", this::reloadIfDue);
    }

    /**
     * Closes every connection of the user, on every instance, with {@link CloseCodes#DISCONNECTED}.
     * The user may connect again at once: to keep them out, ban them.
     */
    public CompletionStage<Outcome<Void>> disconnect(
            String caller, String user, Optional<String> reason) {
        Optional<Outcome<Void>> refused = refusedCallerOrReason(caller, reason, false);
        if (refused.isPresent()) {
            return done(refused.get());
        }
        UserName.Verdict name = UserName.check(user, UserName.MAX_LENGTH_CEILING);
        if (!name.isValid()) {
            return done(refused(Refusal.INVALID_USER, "not a user name: " + reasonOf(name)));
        }
        return command(
                ModerationAction.DISCONNECT,
                caller,
                new ModerationCommand.Disconnect(name.name()),
                Optional.empty(),
                reason);
    }

    /**
     * Takes every connection of the user out of the room, on every instance: each gets {@code left}
     * with reason {@code kicked}, the room's others a presence {@code leave}. The user may join
     * again: to keep them out, ban them from the room.
     */
    public CompletionStage<Outcome<Void>> kick(
            String caller, String room, String user, Optional<String> reason) {
        Optional<Outcome<Void>> refused = refusedCallerOrReason(caller, reason, false);
        if (refused.isPresent()) {
            return done(refused.get());
        }
        if (room == null || !RoomName.isValid(room)) {
            return done(refused(Refusal.INVALID_ROOM, "not a room name: " + RoomName.REGEX));
        }
        UserName.Verdict name = UserName.check(user, UserName.MAX_LENGTH_CEILING);
        if (!name.isValid()) {
            return done(refused(Refusal.INVALID_USER, "not a user name: " + reasonOf(name)));
        }
        return command(
                ModerationAction.KICK,
                caller,
                new ModerationCommand.Kick(name.name(), room),
                Optional.of(room),
                reason);
    }

    /**
     * Bans the user from the chat (no room) or from one room, until {@code until} or until lifted
     * (none), replacing the user's ban of the same scope. At once, on every instance: a global ban
     * closes the user's connections with {@link CloseCodes#BANNED} and refuses their upgrades with
     * 403; a room ban takes their connections out of the room ({@code left} with reason {@code
     * banned}) and answers their {@code join} of it with the error {@code banned}.
     */
    public CompletionStage<Outcome<Ban>> ban(
            String caller,
            String user,
            Optional<String> room,
            Optional<Instant> until,
            String reason) {
        Instant now = Instant.now();
        Optional<Outcome<Ban>> refused =
                refusedCallerOrReason(caller, Optional.ofNullable(reason), true);
        if (refused.isPresent()) {
            return done(refused.get());
        }
        UserName.Verdict name = UserName.check(user, UserName.MAX_LENGTH_CEILING);
        if (!name.isValid()) {
            return done(refused(Refusal.INVALID_USER, "not a user name: " + reasonOf(name)));
        }
        if (room.isPresent() && !RoomName.isValid(room.get())) {
            return done(refused(Refusal.INVALID_ROOM, "not a room name: " + RoomName.REGEX));
        }
        if (until.isPresent() && !until.get().isAfter(now)) {
            return done(refused(Refusal.INVALID_UNTIL, "until must be in the future"));
        }
        if (until.isPresent() && until.get().isAfter(LATEST_UNTIL)) {
            return done(
                    refused(
                            Refusal.INVALID_UNTIL,
                            "until must be before "
                                    + LATEST_UNTIL
                                    + "; leave it out for a ban until lifted"));
        }
        // Every store keeps milliseconds at least: a ban reads back equal to the one placed.
        Ban ban =
                new Ban(
                        name.name(),
                        room,
                        until.map(end -> end.truncatedTo(ChronoUnit.MILLIS)),
                        reason,
                        caller,
                        now.truncatedTo(ChronoUnit.MILLIS));
        return store.put(ban)
                .thenCompose(
                        stored -> {
                            carryOut(new ModerationCommand.Banned(ban));
                            // Stored, the ban reaches every instance at its next reload if the
                            // backplane cannot carry it now.
                            return tell(new ModerationCommand.Banned(ban))
                                    .handle((told, failure) -> Moderation.<Ban>carriedOut(ban));
                        })
                .exceptionally(failure -> unavailable(failure))
                .whenComplete(
                        (outcome, failure) ->
                                audit(
                                        ModerationAction.BAN,
                                        outcome,
                                        caller,
                                        ban.user(),
                                        room,
                                        until,
                                        Optional.of(reason)));
    }

    /** Every ban that applies now, as the store holds them. */
    public CompletionStage<Outcome<List<Ban>>> bans() {
        return store.active(Instant.now())
                .thenApply(Moderation::carriedOut)
                .exceptionally(failure -> unavailable(failure));
    }

    /**
     * Lifts the user's ban of {@code room}, or with no room every ban of the user, on every
     * instance.
     *
     * @return the bans lifted; refused with {@link Refusal#NOT_BANNED} if none applied
     */
    public CompletionStage<Outcome<List<Ban>>> lift(
            String caller, String user, Optional<String> room) {
        Optional<Outcome<List<Ban>>> refused =
                refusedCallerOrReason(caller, Optional.empty(), false);
        if (refused.isPresent()) {
            return done(refused.get());
        }
        UserName.Verdict name = UserName.check(user, UserName.MAX_LENGTH_CEILING);
        if (!name.isValid()) {
            return done(refused(Refusal.INVALID_USER, "not a user name: " + reasonOf(name)));
        }
        if (room.isPresent() && !RoomName.isValid(room.get())) {
            return done(refused(Refusal.INVALID_ROOM, "not a room name: " + RoomName.REGEX));
        }
        ModerationCommand.Lifted lifted = new ModerationCommand.Lifted(name.name(), room);
        return store.lift(name.name(), room, Instant.now())
                .thenCompose(
                        removed -> {
                            carryOut(lifted);
                            if (removed.isEmpty()) {
                                return done(
                                        Moderation.<List<Ban>>refused(
                                                Refusal.NOT_BANNED,
                                                room.isPresent()
                                                        ? "the user is not banned from this room"
                                                        : "the user is not banned"));
                            }
                            return tell(lifted).handle((told, failure) -> carriedOut(removed));
                        })
                .exceptionally(failure -> unavailable(failure))
                .whenComplete(
                        (outcome, failure) -> {
                            if (!(outcome instanceof Outcome.Refused)) {
                                audit(
                                        ModerationAction.LIFT,
                                        outcome,
                                        caller,
                                        name.name(),
                                        room,
                                        Optional.empty(),
                                        Optional.empty());
                            }
                        });
    }

    /**
     * Deletes any message of a room, whoever posted it and however old: its members, on every
     * instance, get {@code deleted}, and its text is gone from the history. Deleting a message
     * deleted before changes nothing and is done all the same, so that a caller may repeat it.
     */
    public CompletionStage<Outcome<Void>> deleteMessage(String caller, String room, long seq) {
        Optional<Outcome<Void>> refused = refusedCallerOrReason(caller, Optional.empty(), false);
        if (refused.isPresent()) {
            return done(refused.get());
        }
        if (room == null || !RoomName.isValid(room)) {
            return done(refused(Refusal.INVALID_ROOM, "not a room name: " + RoomName.REGEX));
        }
        if (seq < 1) {
            return done(refused(Refusal.INVALID_SEQ, "a message's seq is at least 1"));
        }
        return rooms.deleteAsModerator(room, seq)
                .thenApply(
                        deletion -> {
                            Outcome<Void> outcome =
                                    switch (deletion) {
                                        case DELETED, ALREADY_DELETED -> carriedOut(null);
                                        case UNKNOWN ->
                                                refused(
                                                        Refusal.UNKNOWN_MESSAGE,
                                                        "the room's history holds no message at"
                                                                + " this seq");
                                        case UNAVAILABLE ->
                                                new Outcome.Unavailable<>(
                                                        "the store or the backplane is"
                                                                + " unreachable: try again shortly");
                                    };
                            if (!(outcome instanceof Outcome.Refused)) {
                                if (outcome.done()) {
                                    metrics.moderated(ModerationAction.DELETE);
                                }
                                AuditLog.recordDeletion(
                                        outcome.done()
                                                ? AuditLog.Result.DONE
                                                : AuditLog.Result.UNAVAILABLE,
                                        caller,
                                        room,
                                        seq);
                            }
                            return outcome;
                        });
    }

    /** Carries out a command here, then on the other instances. */
    private CompletionStage<Outcome<Void>> command(
            ModerationAction action,
            String caller,
            ModerationCommand command,
            Optional<String> room,
            Optional<String> reason) {
        carryOut(command);
        String user = userOf(command);
        return tell(command)
                .handle(
                        (told, failure) -> {
                            Outcome<Void> outcome =
                                    failure == null ? carriedOut(null) : unavailable(failure);
                            audit(action, outcome, caller, user, room, Optional.empty(), reason);
                            return outcome;
                        });
    }

    /** Hands the command to the other instances; a failure is logged and returned. */
    private CompletionStage<Void> tell(ModerationCommand command) {
        return bus.publish(command)
                .whenComplete(
                        (told, failure) -> {
                            if (failure != null) {
                                LOG.warnf(
                                        "A moderation command reached this instance only: %s",
                                        LogSafe.escaped(failure.toString()));
                            }
                        });
    }

    /** Carries out a command on this instance: from this instance's caller, or another's. */
    private void carryOut(ModerationCommand command) {
        if (command instanceof ModerationCommand.Disconnect disconnect) {
            close(disconnect.user(), CloseCodes.DISCONNECTED, DISCONNECTED_TEXT);
        } else if (command instanceof ModerationCommand.Kick kick) {
            removeFromRoom(kick.user(), kick.room(), ServerFrames.LeaveReason.KICKED);
        } else if (command instanceof ModerationCommand.Banned banned) {
            bans.put(banned.ban());
            enforce(banned.ban());
        } else if (command instanceof ModerationCommand.Lifted lifted) {
            bans.lift(lifted.user(), lifted.room());
        }
    }

    /** Applies a ban to this instance's connections. */
    private void enforce(Ban ban) {
        if (!ban.appliesAt(Instant.now())) {
            return;
        }
        if (ban.global()) {
            close(ban.user(), CloseCodes.BANNED, BANNED_TEXT);
        } else {
            removeFromRoom(ban.user(), ban.room().get(), ServerFrames.LeaveReason.BANNED);
        }
    }

    /**
     * Closes the user's connections here. A walk over every session: moderation is rare, and an
     * index by user would cost every connection memory.
     */
    private void close(String user, short code, String text) {
        for (ChatSession session : sessions.all()) {
            if (session.user().equals(user)) {
                sender.close(session, DisconnectReason.MODERATOR, code, text);
            }
        }
    }

    /**
     * Takes the user's connections here out of the room, each on its own event loop, where its
     * frames change its rooms: a {@code join} handled there before this is undone by it, and one
     * after it is checked against the bans.
     */
    private void removeFromRoom(String user, String room, ServerFrames.LeaveReason reason) {
        for (ChatSession session : sessions.all()) {
            if (session.user().equals(user)) {
                session.afterQueuedWrites(() -> rooms.remove(session, room, reason));
            }
        }
    }

    private void reloadIfDue() {
        Instant last = lastReload;
        if (last == null || !Instant.now().isBefore(last.plus(RELOAD_INTERVAL))) {
            reload();
        }
    }

    /**
     * Replaces this instance's copy of the bans with the store's, and applies those it did not hold
     * to the open connections: bans whose command the backplane lost, placed while this instance
     * was away, or (at start) placed before it.
     */
    private void reload() {
        if (!reloading.compareAndSet(false, true)) {
            return;
        }
        long changesBefore = bans.changes();
        store.active(Instant.now())
                .whenComplete(
                        (loaded, failure) -> {
                            reloading.set(false);
                            if (failure != null) {
                                LOG.debugf(
                                        "Bans not reloaded, trying again: %s",
                                        LogSafe.escaped(failure.toString()));
                                return;
                            }
                            lastReload = Instant.now();
                            bans.replace(loaded, changesBefore).forEach(this::enforce);
                        });
    }

    private void audit(
            ModerationAction action,
            Outcome<?> outcome,
            String caller,
            String user,
            Optional<String> room,
            Optional<Instant> until,
            Optional<String> reason) {
        boolean succeeded = outcome != null && outcome.done();
        if (succeeded) {
            metrics.moderated(action);
        }
        AuditLog.record(
                action,
                succeeded ? AuditLog.Result.DONE : AuditLog.Result.UNAVAILABLE,
                caller,
                user,
                room,
                until,
                reason);
    }

    /** The caller's name and the reason (required for a ban), if either is refused. */
    private static <T> Optional<Outcome<T>> refusedCallerOrReason(
            String caller, Optional<String> reason, boolean reasonRequired) {
        UserName.Verdict callerName = UserName.check(caller, UserName.MAX_LENGTH_CEILING);
        if (!callerName.isValid() || !callerName.name().equals(caller)) {
            return Optional.of(refused(Refusal.INVALID_CALLER, "the caller has no valid name"));
        }
        if (reason.isEmpty()) {
            return reasonRequired
                    ? Optional.of(refused(Refusal.INVALID_REASON, "a reason is required"))
                    : Optional.empty();
        }
        return reasonFault(reason.get()).map(fault -> refused(Refusal.INVALID_REASON, fault));
    }

    /** What is wrong with a reason, if anything. */
    static Optional<String> reasonFault(String reason) {
        if (reason.isBlank()) {
            return Optional.of("the reason is blank");
        }
        if (reason.codePointCount(0, reason.length()) > MAX_REASON_LENGTH) {
            return Optional.of("the reason is longer than " + MAX_REASON_LENGTH + " characters");
        }
        boolean unprintable =
                reason.codePoints()
                        .anyMatch(
                                codePoint ->
                                        Character.getType(codePoint) == Character.CONTROL
                                                || Character.getType(codePoint)
                                                        == Character.SURROGATE);
        return unprintable
                ? Optional.of("the reason holds a control character or half a surrogate pair")
                : Optional.empty();
    }

    private static String userOf(ModerationCommand command) {
        if (command instanceof ModerationCommand.Disconnect disconnect) {
            return disconnect.user();
        }
        return ((ModerationCommand.Kick) command).user();
    }

    private static String reasonOf(UserName.Verdict verdict) {
        return verdict.fault().reason(UserName.MAX_LENGTH_CEILING);
    }

    private static <T> Outcome<T> carriedOut(T value) {
        return new Outcome.Done<>(value);
    }

    private static <T> Outcome<T> refused(Refusal refusal, String message) {
        return new Outcome.Refused<>(refusal, message);
    }

    private static <T> Outcome<T> unavailable(Throwable failure) {
        LOG.debugf("Moderation not carried out: %s", LogSafe.escaped(failure.toString()));
        return new Outcome.Unavailable<>(
                "the ban store or the backplane is unreachable: try again shortly");
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
