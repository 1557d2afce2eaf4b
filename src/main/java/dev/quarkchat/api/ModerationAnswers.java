package dev.quarkchat.api;

import dev.quarkchat.moderation.Outcome;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The answer to each outcome of a moderation request: its value when done, else the problem that
 * says why not (a refused argument names its field).
 */
final class ModerationAnswers {

    private ModerationAnswers() {}

    /** Asks for an action that answers nothing when done: 204, or its problem. */
    static Uni<Void> done(Supplier<CompletionStage<Outcome<Void>>> action) {
        return Uni.createFrom()
                .completionStage(action)
                .map(ModerationAnswers::valueOf)
                .replaceWithVoid();
    }

    /** The value of a request carried out; otherwise throws its problem. */
    static <T> T valueOf(Outcome<T> outcome) {
        if (outcome instanceof Outcome.Done<T> done) {
            return done.value();
        }
        if (outcome instanceof Outcome.Unavailable<T> unavailable) {
            throw new ProblemException(ProblemType.UNAVAILABLE, unavailable.message());
        }
        Outcome.Refused<T> refused = (Outcome.Refused<T>) outcome;
        String message = refused.message();
        throw switch (refused.refusal()) {
            case INVALID_USER -> ProblemException.invalid("user", message);
            case INVALID_ROOM -> ProblemException.invalid("room", message);
            case INVALID_REASON -> ProblemException.invalid("reason", message);
            case INVALID_UNTIL -> ProblemException.invalid("until", message);
            case INVALID_SEQ -> ProblemException.invalid("seq", message);
            case INVALID_CALLER -> new ProblemException(ProblemType.UNAUTHORIZED, message);
            case NOT_BANNED -> new ProblemException(ProblemType.NOT_BANNED, message);
            case UNKNOWN_MESSAGE -> new ProblemException(ProblemType.MESSAGE_NOT_FOUND, message);
        };
    }
}
