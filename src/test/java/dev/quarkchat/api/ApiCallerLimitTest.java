package dev.quarkchat.api;

import static dev.quarkchat.testing.ApiRequests.given;

import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * The rate limit's map of callers is bounded ({@code chat.api.rate-limit.max-callers}): while it is
 * full of callers that are not idle, a new caller gets 429 rather than a bucket.
 */
@QuarkusTest
@TestProfile(ApiCallerLimitTest.ThreeCallers.class)
class ApiCallerLimitTest {

    /** Buckets that take an hour to be idle, in a map of three. */
    public static class ThreeCallers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.api.rate-limit.per-second", "1",
                    "chat.api.rate-limit.burst", "3600",
                    "chat.api.rate-limit.max-callers", "3");
        }
    }

    @Test
    void pastMaxCallersANewCallerGets429() {
        for (String name : new String[] {"busy-1", "busy-2", "busy-3"}) {
            given().auth()
                    .oauth2(TestTokens.admin(name))
                    .get("/api/v1/rooms")
                    .then()
                    .statusCode(200);
        }
        given().auth()
                .oauth2(TestTokens.admin("one-too-many"))
                .get("/api/v1/rooms")
                .then()
                .statusCode(429)
                .contentType(ServerApiTest.PROBLEM);
        given().auth()
                .oauth2(TestTokens.admin("busy-1"))
                .get("/api/v1/rooms")
                .then()
                .statusCode(200);
    }
}
