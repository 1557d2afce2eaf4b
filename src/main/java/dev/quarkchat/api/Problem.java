package dev.quarkchat.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * An error of the server API, as {@code application/problem+json} (RFC 9457): a stable {@code type}
 * per kind of error, its {@code title}, the HTTP {@code status}, what went wrong this time in
 * {@code detail}, and for invalid input the offending fields in {@code errors}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "An error, as RFC 9457 application/problem+json")
public record Problem(
        @Schema(example = "https://quarkchat.dev/problems/validation") String type,
        String title,
        int status,
        String detail,
        @Schema(description = "The offending fields of invalid input") List<FieldError> errors) {

    /** One offending field: a body field, a path segment or a query parameter, by name. */
    @RegisterForReflection
    public record FieldError(String field, String message) {}
}
