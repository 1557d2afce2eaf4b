package dev.quarkchat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;

/**
 * What the server API refuses before its resources run, still as {@code application/problem+json}:
 * a body over {@code chat.api.max-body-bytes} (413, from its Content-Length, before a byte of it is
 * read), a body without a length (411, so that no body is read unbounded), and a token that fails
 * verification (401): proactive authentication refuses it ahead of the resources, so their mappers
 * never see it.
 */
@ApplicationScoped
class ApiHttpGuard {

    /** Ahead of authentication, like the chat's own limits. */
    private static final int PRIORITY = 800;

    private static final int LAST = Integer.MAX_VALUE;

    private final int maxBodyBytes;
    private final ObjectMapper json;

    ApiHttpGuard(ApiConfig config, ObjectMapper json) {
        this.maxBodyBytes = config.maxBodyBytes();
        this.json = json;
    }

    void register(@Observes Filters filters) {
        filters.register(this::checkBody, PRIORITY);
    }

    void register(@Observes Router router) {
        router.route(ApiPaths.ROOT + "/*").failureHandler(this::failed);
        // After every other route: a path under the root that no resource takes.
        router.route(ApiPaths.ROOT + "/*").order(LAST).handler(this::notFound);
    }

    private void notFound(RoutingContext context) {
        answer(context, ProblemType.NOT_FOUND.problem("no endpoint at this path"), Map.of());
    }

    private void checkBody(RoutingContext context) {
        if (!ApiPaths.isApi(context.normalizedPath())) {
            context.next();
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        String chunked = context.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        if (length == null && chunked != null) {
            answer(
                    context,
                    ProblemType.LENGTH_REQUIRED.problem(
                            "send the body with a Content-Length (no chunked transfer)"),
                    Map.of());
            return;
        }
        if (length != null && !withinLimit(length)) {
            answer(
                    context,
                    ProblemType.BODY_TOO_LARGE.problem(
                            "the body may hold at most " + maxBodyBytes + " bytes"),
                    Map.of());
            return;
        }
        context.next();
    }

    private boolean withinLimit(String length) {
        try {
            long bytes = Long.parseLong(length.trim());
            return bytes >= 0 && bytes <= maxBodyBytes;
        } catch (NumberFormatException unreadable) {
            return false;
        }
    }

    private void failed(RoutingContext context) {
        if (context.failure() instanceof AuthenticationFailedException) {
            answer(
                    context,
                    ProblemType.UNAUTHORIZED.problem(
                            "the token could not be verified: send a valid service token as"
                                    + " Authorization: Bearer <jwt>"),
                    Map.of("WWW-Authenticate", "Bearer"));
        } else {
            context.next();
        }
    }

    private void answer(RoutingContext context, Problem problem, Map<String, String> headers) {
        if (context.response().ended()) {
            return;
        }
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException impossible) {
            // A record of strings and numbers always serializes; keep the status regardless.
            body = "{}";
        }
        context.response().setStatusCode(problem.status());
        headers.forEach(context.response()::putHeader);
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, ProblemType.MEDIA_TYPE).end(body);
    }
}
