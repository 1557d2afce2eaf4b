package dev.quarkchat.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.engine.UnknownRoomException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns every failure of the server API into {@code application/problem+json}: each mapper is for
 * exactly the exception type Quarkus' own mappers take, so that these win, and the last one catches
 * what nobody expected, answering 500 without its stack trace (which goes to the log).
 */
class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** Retried after a second: the engines' checks notice a return within about that. */
    private static final String RETRY_UNAVAILABLE = "1";

    @ServerExceptionMapper
    Response problem(ProblemException thrown) {
        Response.ResponseBuilder answer =
                Response.fromResponse(ProblemType.response(thrown.problem()));
        thrown.headers().forEach(answer::header);
        return answer.build();
    }

    /** Invalid input; a violation of a resource's own answer is a fault of ours (500). */
    @ServerExceptionMapper({ConstraintViolationException.class, ValidationException.class})
    Response invalid(ValidationException thrown) {
        if (!(thrown instanceof ConstraintViolationException violations)
                || violations.getConstraintViolations().stream()
                        .anyMatch(ProblemMappers::ofAnswer)) {
            return unexpected(thrown);
        }
        List<Problem.FieldError> errors =
                violations.getConstraintViolations().stream()
                        .map(
                                v ->
                                        new Problem.FieldError(
                                                field(v.getPropertyPath()), v.getMessage()))
                        .sorted(Comparator.comparing(Problem.FieldError::field))
                        .toList();
        String detail =
                errors.stream()
                        .map(error -> error.field() + " " + error.message())
                        .collect(Collectors.joining("; "));
        return ProblemType.response(ProblemType.VALIDATION.problem(detail, errors));
    }

    @ServerExceptionMapper({
        JsonParseException.class,
        MismatchedInputException.class,
        JsonMappingException.class,
        JsonProcessingException.class
    })
    Response malformed(JsonProcessingException thrown) {
        String where =
                thrown.getLocation() == null
                        ? ""
                        : " at line "
                                + thrown.getLocation().getLineNr()
                                + ", column "
                                + thrown.getLocation().getColumnNr();
        String detail;
        if (thrown instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            // Field names only: Jackson's own message may quote the body back.
            String field =
                    mapping.getPath().stream()
                            .map(
                                    reference ->
                                            reference.getFieldName() != null
                                                    ? reference.getFieldName()
                                                    : String.valueOf(reference.getIndex()))
                            .collect(Collectors.joining("."));
            detail = "field " + field + " is unknown or of the wrong type" + where;
        } else {
            detail = "the body is not well-formed JSON" + where;
        }
        return ProblemType.MALFORMED_JSON.response(detail);
    }

    /** No token, or one the security layer refused while checking a resource's roles. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    Response unauthorized(RuntimeException thrown) {
        return Response.fromResponse(
                        ProblemType.UNAUTHORIZED.response(
                                "send a valid service token as Authorization: Bearer <jwt>"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException thrown) {
        return ProblemType.FORBIDDEN.response(
                "the token is valid but its groups do not include chat-admin");
    }

    @ServerExceptionMapper
    Response unknownRoom(UnknownRoomException thrown) {
        return ProblemType.ROOM_NOT_FOUND.response(
                "nobody is in this room, and without a backplane or a store a room lives only"
                        + " while it has members");
    }

    @ServerExceptionMapper
    Response unavailable(EngineUnavailableException thrown) {
        return Response.fromResponse(
                        ProblemType.UNAVAILABLE.response(
                                "the backplane or the store is unreachable: try again shortly"))
                .header(HttpHeaders.RETRY_AFTER, RETRY_UNAVAILABLE)
                .build();
    }

    /** Routing and content negotiation: 404, 405, 406, 415 and the like. */
    @ServerExceptionMapper
    Response http(WebApplicationException thrown) {
        if (thrown.getCause() instanceof JsonProcessingException unreadable) {
            // The body reader wraps what Jackson could not read.
            return malformed(unreadable);
        }
        int status = thrown.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(thrown);
        }
        ProblemType type = ProblemType.ofStatus(status);
        Response.ResponseBuilder answer =
                Response.fromResponse(
                        ProblemType.response(
                                new Problem(
                                        type.uri(),
                                        type.title(),
                                        status,
                                        type.title(),
                                        List.of())));
        // 405 names the methods the resource takes.
        String allow = thrown.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            answer.header(HttpHeaders.ALLOW, allow);
        }
        return answer.build();
    }

    @ServerExceptionMapper
    Response unexpected(Throwable thrown) {
        LOG.error("The server API failed unexpectedly", thrown);
        return ProblemType.INTERNAL.response("the failure is logged on the server");
    }

    private static boolean ofAnswer(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** The field a violation is about: the last name of its path (the method's is left out). */
    private static String field(Path path) {
        String field = "";
        for (Path.Node node : path) {
            if (node.getKind() != ElementKind.METHOD && node.getName() != null) {
                field = node.getName();
            }
        }
        return field;
    }
}
