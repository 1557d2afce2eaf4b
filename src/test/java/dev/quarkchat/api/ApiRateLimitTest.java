package dev.quarkchat.api;

import static dev.quarkchat.testing.ApiRequests.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * Each service token's user name has its own bucket ({@code chat.api.rate-limit.*}): past it, 429
 * as a problem with Retry-After, while other callers go on.
 */
@QuarkusTest
@TestProfile(ApiRateLimitTest.SmallBuckets.class)
class ApiRateLimitTest {

    private static final int BURST = 5;

    /** A bucket that refills slowly enough that a test's calls cannot earn a token back. */
    public static class SmallBuckets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.api.rate-limit.per-second",
                    "1",
                    "chat.api.rate-limit.burst",
                    String.valueOf(BURST));
        }
    }

    @Test
    void aCallerPastItsBurstGets429WithRetryAfterAndOthersGoOn() {
        String flooder = TestTokens.admin("flooder");
        int admitted = 0;
        Response refused = null;
        // Refills one a second: within a few more calls than the burst, one is refused.
        for (int call = 0; call < BURST * 3 && refused == null; call++) {
            Response answer = given().auth().oauth2(flooder).get("/api/v1/rooms");
            if (answer.statusCode() == 429) {
                refused = answer;
            } else {
                assertThat(answer.statusCode()).isEqualTo(200);
                admitted++;
            }
        }
        assertThat(refused).as("refused past the burst").isNotNull();
        assertThat(admitted).isGreaterThanOrEqualTo(BURST);
        refused.then()
                .contentType(ServerApiTest.PROBLEM)
                .header("Retry-After", equalTo("1"))
                .body("type", equalTo(ProblemType.BASE + "rate-limited"))
                .body("status", equalTo(429));

        given().auth()
                .oauth2(TestTokens.admin("patient"))
                .get("/api/v1/rooms")
                .then()
                .statusCode(200);
    }

    @Test
    void userTokensAreNotCountedAndGet403() {
        String user = TestTokens.valid("curious-user");
        for (int call = 0; call < BURST * 3; call++) {
            given().auth().oauth2(user).get("/api/v1/rooms").then().statusCode(403);
        }
    }
}
