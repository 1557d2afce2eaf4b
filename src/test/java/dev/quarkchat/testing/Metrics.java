package dev.quarkchat.testing;

import static io.restassured.RestAssured.given;

import java.util.Optional;

/** Reads series from {@code /q/metrics} (Prometheus text format) of the service under test. */
public final class Metrics {

    private final String baseUri;

    private Metrics(String baseUri) {
        this.baseUri = baseUri;
    }

    /** The metrics of the service the current {@code @QuarkusTest} runs. */
    public static Metrics ofTestedService() {
        return new Metrics(null);
    }

    /** The metrics of a service at another address (a packaged jar started by a test). */
    public static Metrics at(String baseUri) {
        return new Metrics(baseUri);
    }

    /**
     * The whole scrape, as Prometheus would get it. Each on a connection of its own that the server
     * closes after the answer: tests poll metrics in tight loops, and idle keep-alive connections
     * left behind would count against {@code chat.handshake.max-pending-per-address} of the tests'
     * address.
     */
    public String scrape() {
        var request = given().header("Connection", "close");
        if (baseUri != null) {
            request = request.baseUri(baseUri);
        }
        return request.when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of one series, written as in the scrape: {@code chat_connections_opened_total} or
     * {@code chat_sockets_dropped_total{reason="pong_timeout"}}; empty if the scrape has no such
     * series.
     */
    public Optional<Double> find(String series) {
        String prefix = series + " ";
        return scrape().lines()
                .filter(line -> line.startsWith(prefix))
                .map(line -> Double.parseDouble(line.substring(prefix.length()).trim()))
                .findFirst();
    }

    /** The value of one series; fails if the scrape has no such series. */
    public double value(String series) {
        return find(series)
                .orElseThrow(() -> new AssertionError("No series " + series + " in /q/metrics"));
    }
}
