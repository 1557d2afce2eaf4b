package dev.quarkchat.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * Every kind of error the server API answers, each with the stable {@code type} URI clients may
 * match on ({@code https://quarkchat.dev/problems/<slug>}), listed in docs/api.md.
 */
public enum ProblemType {
    VALIDATION("validation", 400, "The request is invalid"),
    MALFORMED_JSON("malformed-json", 400, "The body is not the JSON this endpoint takes"),
    BAD_REQUEST("bad-request", 400, "The request cannot be read"),
    UNAUTHORIZED("unauthorized", 401, "A valid service token is required"),
    FORBIDDEN("forbidden", 403, "The token lacks the chat-admin group"),
    NOT_FOUND("not-found", 404, "No such resource"),
    ROOM_NOT_FOUND("room-not-found", 404, "No such room"),
    MESSAGE_NOT_FOUND("message-not-found", 404, "No such message"),
    NOT_BANNED("not-banned", 404, "The user has no such ban"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "The resource does not take this method"),
    NOT_ACCEPTABLE("not-acceptable", 406, "The resource cannot answer in an accepted type"),
    IDEMPOTENCY_KEY_REUSED(
            "idempotency-key-reused", 409, "The idempotency key was used for another text"),
    LENGTH_REQUIRED("length-required", 411, "A request body needs a Content-Length"),
    BODY_TOO_LARGE("body-too-large", 413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "The body must be application/json"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    INTERNAL("internal", 500, "An unexpected error"),
    UNAVAILABLE("unavailable", 503, "The backplane or the store is unreachable");

    /** Where every type URI starts. */
    public static final String BASE = "https://quarkchat.dev/problems/";

    /** The media type of every error body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return BASE + slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem of this type with {@code detail}. */
    public Problem problem(String detail) {
        return problem(detail, List.of());
    }

    public Problem problem(String detail, List<Problem.FieldError> errors) {
        return new Problem(uri(), title, status, detail, errors);
    }

    /** The answer: this problem, as application/problem+json. */
    public Response response(String detail) {
        return response(problem(detail));
    }

    static Response response(Problem problem) {
        return Response.status(problem.status())
                .type(MediaType.valueOf(MEDIA_TYPE))
                .entity(problem)
                .build();
    }

    /** The type of a status the API answers for reasons of its own (routing, JAX-RS). */
    static ProblemType ofStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status
                    && type != ROOM_NOT_FOUND
                    && type != MESSAGE_NOT_FOUND
                    && type != NOT_BANNED
                    && type != MALFORMED_JSON
                    && type != VALIDATION) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
