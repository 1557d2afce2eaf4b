package dev.quarkchat.testing;

import static dev.quarkchat.testing.ApiRequests.given;

import io.restassured.response.Response;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Waiting for a service's readiness probe to give the status a test expects. */
public final class Readiness {

    private Readiness() {}

    /**
     * Waits until the service at {@code base} answers {@code /q/health/ready} with {@code status}.
     */
    public static void await(URI base, int status) {
        await(base, status, ChatClient.TIMEOUT);
    }

    /**
     * As {@link #await(URI, int)}, for at most {@code timeout}; a failure shows the last report,
     * which names the checks that are down.
     */
    public static void await(URI base, int status, Duration timeout) {
        AtomicReference<String> lastReport = new AtomicReference<>("none");
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .until(
                            () -> {
                                Response ready =
                                        given().baseUri(base.toString()).get("/q/health/ready");
                                lastReport.set(ready.asString());
                                return ready.statusCode() == status;
                            });
        } catch (ConditionTimeoutException late) {
            throw new AssertionError(
                    "Readiness not "
                            + status
                            + " within "
                            + timeout
                            + "; last: "
                            + lastReport.get(),
                    late);
        }
    }
}
