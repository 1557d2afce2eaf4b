package dev.quarkchat.metrics;

import dev.quarkchat.protocol.LogSafe;

import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * One line per moderation action in the log category {@code dev.quarkchat.audit}, as {@code
 * key=value} pairs (logfmt), so that a log pipeline can route and parse them: who asked, what, to
 * whom, where, why and until when, and whether it was carried out. Names and reasons are quoted and
 * escaped ({@link LogSafe}), so no value can break the line or pass for another field.
 */
public final class AuditLog {

    private static final Logger LOG = Logger.getLogger("dev.quarkchat.audit");

    /** What became of the action: {@code done}, or {@code unavailable}. */
    public enum Result {
        DONE,
        UNAVAILABLE
    }

    private AuditLog() {}

    public static void record(
            ModerationAction action,
            Result result,
            String caller,
            String user,
            Optional<String> room,
            Optional<Instant> until,
            Optional<String> reason) {
        StringBuilder line = start(action, result, caller).append(" user=").append(quoted(user));
        room.ifPresent(name -> line.append(" room=").append(quoted(name)));
        until.ifPresent(end -> line.append(" until=").append(end));
        reason.ifPresent(text -> line.append(" reason=").append(quoted(text)));
        LOG.info(line.toString());
    }

    /** A deletion names the message, by room and seq: its author is whoever posted it. */
    public static void recordDeletion(Result result, String caller, String room, long seq) {
        LOG.info(
                start(ModerationAction.DELETE, result, caller)
                        .append(" room=")
                        .append(quoted(room))
                        .append(" seq=")
                        .append(seq)
                        .toString());
    }

    private static StringBuilder start(ModerationAction action, Result result, String caller) {
        return new StringBuilder("moderation action=")
                .append(action.label())
                .append(" outcome=")
                .append(result == Result.DONE ? "done" : "unavailable")
                .append(" caller=")
                .append(quoted(caller));
    }

    /** In double quotes, escaped: a quote inside becomes {@code \"}, a backslash {@code \\}. */
    static String quoted(String value) {
        return '"' + LogSafe.escape(value).replace("\"", "\\\"") + '"';
    }
}
