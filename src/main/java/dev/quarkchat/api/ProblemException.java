package dev.quarkchat.api;

import java.util.List;
import java.util.Map;

/**
 * An answer of the server API that is a problem: thrown by a resource or filter, written as {@code
 * application/problem+json} by {@link ProblemMappers}.
 */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(ProblemType type, String detail) {
        this(type.problem(detail), Map.of());
    }

    ProblemException(Problem problem, Map<String, String> headers) {
        // An expected answer, not a fault: no stack trace.
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
    }

    /** Invalid input: the field and why. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(
                ProblemType.VALIDATION.problem(
                        field + " " + message, List.of(new Problem.FieldError(field, message))),
                Map.of());
    }

    Problem problem() {
        return problem;
    }

    Map<String, String> headers() {
        return headers;
    }
}
