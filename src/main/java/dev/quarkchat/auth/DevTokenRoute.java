package dev.quarkchat.auth;

import dev.quarkchat.protocol.HttpStatus;
import dev.quarkchat.protocol.UserName;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /dev/token?user=alice} answers a signed token for that user, so that people can try
 * the chat from a terminal at once; {@code &rooms=private-ops,private-board} grants private rooms
 * too, and {@code &admin=true} makes it a service token for the server API (group {@value
 * TokenClaims#ADMIN_GROUP}). It exists only in dev and test builds: a production build has no such
 * route. Names follow the chat's own rule ({@link UserName}, {@code chat.user-name.max-length}) and
 * go into the token in NFC; any other name gets 400 and the reason.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class DevTokenRoute {

    static final String PATH = "/dev/token";

    private final int maxNameLength;

    DevTokenRoute(UserNameConfig userNames) {
        this.maxNameLength = userNames.maxLength();
    }

    void register(@Observes Router router) {
        // Signing is CPU work of a millisecond or so: keep it off the event loop.
        router.get(PATH).blockingHandler(this::issue);
    }

    private void issue(RoutingContext context) {
        UserName.Verdict user = UserName.check(context.request().getParam("user"), maxNameLength);
        if (!user.isValid()) {
            context.response()
                    .setStatusCode(HttpStatus.BAD_REQUEST)
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(
                            "This user name is not accepted: "
                                    + user.fault().reason(maxNameLength)
                                    + "\n");
            return;
        }
        List<String> rooms =
                Optional.ofNullable(context.request().getParam("rooms")).stream()
                        .flatMap(list -> Arrays.stream(list.split(",")))
                        .map(String::trim)
                        .filter(room -> !room.isEmpty())
                        .collect(Collectors.toList());
        String name = user.name();
        JwtClaimsBuilder claims =
                Jwt.upn(name)
                        .preferredUserName(name)
                        .subject(name)
                        .claim(TokenClaims.ROOMS_CLAIM, rooms);
        if (Boolean.parseBoolean(context.request().getParam("admin"))) {
            claims.groups(TokenClaims.ADMIN_GROUP);
        }
        String token = claims.sign();
        context.response()
                .putHeader("Content-Type", "text/plain")
                .putHeader("Cache-Control", "no-store")
                .end(token);
    }
}
