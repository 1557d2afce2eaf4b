package dev.quarkchat.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.quarkchat.chat.ConnectionHandshake;
import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /dev/token?user=alice} answers a signed token for that user, so that people can try the chat
 * from a terminal at once; {@code &rooms=private-ops,private-board} grants private rooms too. It exists only in dev and test builds: a production build has no such route.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = { "dev", "test" })
public class DevTokenRoute {

    static final String PATH = "/dev/token";
    private static final Pattern USER_NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final int BAD_REQUEST = 400;

    void register(@Observes Router router) {
        // Signing is CPU work of a millisecond or so: keep it off the event loop.
        router.get(PATH).blockingHandler(this::issue);
    }

    private void issue(RoutingContext context) {
        String user = context.request().getParam("user");
        if (user == null || !USER_NAME.matcher(user).matches()) {
            context.response().setStatusCode(BAD_REQUEST).putHeader("Content-Type", "text/plain")
                    .end("user must be 1 to 64 letters, digits, '.', '_' or '-'\n");
            return;
        }
        List<String> rooms = Optional.ofNullable(context.request().getParam("rooms")).stream()
                .flatMap(list -> Arrays.stream(list.split(","))).map(String::trim).filter(room -> !room.isEmpty())
                .collect(Collectors.toList());
        String token = Jwt.upn(user).preferredUserName(user).subject(user).claim(ConnectionHandshake.ROOMS_CLAIM, rooms).sign();
        context.response().putHeader("Content-Type", "text/plain").putHeader("Cache-Control", "no-store").end(token);
    }
}
