package dev.quarkchat.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /user-name-rules} answers which token claims hold the user's name and how long it may
 * be ({@code {"claims":["upn","preferred_username","sub"],"maxLength":64}}), so that the page can
 * check the name in a token before it connects: a browser cannot read the status of a refused
 * upgrade, so without this it could only show that the connection failed. Nothing in it is secret;
 * it is the configuration of {@link UserNameConfig}.
 */
@ApplicationScoped
public class UserNameRulesRoute {

    static final String PATH = "/user-name-rules";

    private final String rules;

    UserNameRulesRoute(UserNameConfig userNames) {
        this.rules =
                new JsonObject()
                        .put("claims", new JsonArray(userNames.claims()))
                        .put("maxLength", userNames.maxLength())
                        .encode();
    }

    void register(@Observes Router router) {
        router.get(PATH)
                .handler(
                        context ->
                                context.response()
                                        .putHeader("Content-Type", "application/json")
                                        .putHeader("Cache-Control", "no-cache")
                                        .end(rules));
    }
}
