package dev.quarkchat.api;

import dev.quarkchat.auth.TokenClaims;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;

/**
 * Who is calling the server API: the user name of the request's verified token, read by the rules
 * of the chat's own handshake ({@code chat.user-name.claims}), so that a service posts under the
 * name its token gives it there too.
 */
@ApplicationScoped
class ApiCaller {

    private final JsonWebToken token;
    private final TokenClaims claims;

    /**
     * @param token the request's token (a request-scoped bean)
     */
    ApiCaller(JsonWebToken token, TokenClaims claims) {
        this.token = token;
        this.claims = claims;
    }

    /** The caller's name; empty without a token, or for one that names no user the chat accepts. */
    Optional<String> name() {
        return token.getRawToken() == null ? Optional.empty() : claims.userName(token);
    }

    /** The caller's name, or 401 when it has none. */
    String requireName() {
        return name().orElseThrow(
                        () ->
                                new ProblemException(
                                        ProblemType.UNAUTHORIZED,
                                        "the token names no user the chat accepts"));
    }
}
