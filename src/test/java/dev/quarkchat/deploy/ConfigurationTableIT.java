package dev.quarkchat.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.ConfigurationTable;
import dev.quarkchat.testing.LocalProcess;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.OperatorKeys;
import dev.quarkchat.testing.PackagedApp;
import dev.quarkchat.testing.PostgresServer;
import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;

import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every environment variable the configuration table documents reaches the packaged service (jar,
 * or native executable with {@code -Dnative}): set through the environment, and only it, it changes
 * what the running service does or reports. A setting with a value it validates is given a bad one,
 * and the service must refuse to start naming it; a setting that takes any value is shown to change
 * behaviour against a run without it. A documented variable without a probe here, or one that
 * resolves to nothing, fails the build.
 */
class ConfigurationTableIT {

    /** How an environment variable of a setting of ours, Quarkus' or MicroProfile JWT's looks. */
    private static final Pattern SETTING_VARIABLE =
            Pattern.compile("\\b(?:CHAT|QUARKUS|MP|SMALLRYE)_[A-Z0-9_]+\\b");

    private static final String ISSUER = "https://issuer.configuration.test";
    private static final Path KEY_FILE =
            Path.of("target", "configuration-table-public-key.pem").toAbsolutePath();
    private static final int ACCEPTED = 101;

    /** The user of the probes' database, who must log in with {@link #DATABASE_PASSWORD}. */
    private static final String DATABASE_USER = "chat_probe";

    private static final String DATABASE_PASSWORD = "probe-secret";

    private static KeyPair keys;
    private static PackagedApp baseline;
    private static PostgresServer postgres;
    private static String databaseUrl;

    /** What one variable does. */
    private record Probe(
            Kind kind,
            String variable,
            String value,
            Map<String, String> context,
            Function<PackagedApp, Object> observe) {

        enum Kind {
            /** A bad value: the service must refuse to start, naming the setting. */
            REFUSED,
            /** A value that changes what the running service does. */
            OBSERVED,
            /**
             * A setting the context cannot do without: without it the service refuses to start,
             * naming it; with it, it starts and does what the baseline does not.
             */
            REQUIRED
        }

        /** A value the service validates: it must refuse to start, naming the setting. */
        static Probe refused(String variable, String value) {
            return new Probe(Kind.REFUSED, variable, value, Map.of(), null);
        }

        /**
         * A value it accepts: {@code observe} must see something else than without the variable.
         */
        static Probe observed(
                String variable, String value, Function<PackagedApp, Object> observe) {
            return new Probe(Kind.OBSERVED, variable, value, Map.of(), observe);
        }

        /**
         * The same, for a setting that acts only together with others ({@code context}, set in both
         * runs).
         */
        static Probe observedWith(
                Map<String, String> context,
                String variable,
                String value,
                Function<PackagedApp, Object> observe) {
            return new Probe(Kind.OBSERVED, variable, value, context, observe);
        }

        /**
         * A setting that {@code context} needs: with the context alone the service must refuse to
         * start, naming it; with the setting too, {@code observe} must see something else than on
         * the baseline.
         */
        static Probe requiredWith(
                Map<String, String> context,
                String variable,
                String value,
                Function<PackagedApp, Object> observe) {
            return new Probe(Kind.REQUIRED, variable, value, context, observe);
        }

        @Override
        public String toString() {
            return variable + "=" + value + (context.isEmpty() ? "" : " with " + context);
        }
    }

    /** One probe per documented variable. */
    static Stream<Probe> probes() {
        Map<String, String> strictHandshakes =
                Map.of(
                        "CHAT_HANDSHAKE_RATE_LIMIT_PER_SECOND",
                        "1",
                        "CHAT_HANDSHAKE_RATE_LIMIT_BURST",
                        "1");
        // No sentinel answers there: the instance names the primary it asks for in its log.
        Map<String, String> behindSentinel =
                Map.of(
                        "CHAT_BACKPLANE",
                        "redis",
                        "QUARKUS_REDIS_CLIENT_TYPE",
                        "sentinel",
                        "QUARKUS_REDIS_HOSTS",
                        "redis://127.0.0.1:" + LocalProcess.freePort(),
                        "QUARKUS_LOG_CATEGORY__DEV_QUARKCHAT_ENGINE_REDIS__LEVEL",
                        "DEBUG");
        Map<String, String> forwarding = new HashMap<>(strictHandshakes);
        forwarding.put("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true");
        Map<String, String> database =
                Map.of(
                        "QUARKUS_DATASOURCE_REACTIVE_URL",
                        databaseUrl,
                        "QUARKUS_DATASOURCE_USERNAME",
                        DATABASE_USER,
                        "QUARKUS_DATASOURCE_PASSWORD",
                        DATABASE_PASSWORD);
        return Stream.of(
                Probe.refused("CHAT_ALLOWED_ORIGINS", "chat.example.com"),
                Probe.observed(
                        "CHAT_ALLOW_MISSING_ORIGIN",
                        "true",
                        app -> upgradeStatus(app, token(ISSUER), null)),
                Probe.refused("CHAT_PRIVATE_ROOM_PATTERN", "private-("),
                Probe.refused("CHAT_RATE_LIMIT_MESSAGES_PER_SECOND", "0"),
                Probe.refused("CHAT_RATE_LIMIT_BURST", "0"),
                Probe.refused("CHAT_RATE_LIMIT_MAX_VIOLATIONS", "0"),
                Probe.refused("CHAT_HANDSHAKE_RATE_LIMIT_PER_SECOND", "0"),
                Probe.refused("CHAT_HANDSHAKE_RATE_LIMIT_BURST", "0"),
                Probe.refused("CHAT_API_RATE_LIMIT_PER_SECOND", "0"),
                Probe.refused("CHAT_API_RATE_LIMIT_BURST", "0"),
                Probe.refused("CHAT_API_RATE_LIMIT_MAX_CALLERS", "0"),
                Probe.refused("CHAT_API_MAX_BODY_BYTES", "100"),
                Probe.refused("CHAT_HANDSHAKE_HEAD_TIMEOUT", "10ms"),
                Probe.refused("CHAT_HANDSHAKE_MAX_PENDING_PER_ADDRESS", "0"),
                Probe.observedWith(
                        strictHandshakes,
                        "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING",
                        "true",
                        ConfigurationTableIT::secondForwardedClientStatus),
                Probe.observedWith(
                        forwarding,
                        "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED",
                        "false",
                        ConfigurationTableIT::secondForwardedClientStatus),
                Probe.refused("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "999.1.1.1/99"),
                Probe.refused("CHAT_MAX_JSON_DEPTH", "0"),
                Probe.refused("CHAT_MAX_ROOMS_PER_CONNECTION", "0"),
                Probe.refused("CHAT_MAX_CONNECTIONS_PER_USER", "0"),
                Probe.refused("CHAT_HISTORY_SIZE", "-1"),
                Probe.refused("CHAT_HISTORY_ON_JOIN", "-1"),
                Probe.observed(
                        "CHAT_HISTORY_PAGE_MAX", "5", ConfigurationTableIT::answerToAPageOfSix),
                Probe.refused("CHAT_HISTORY_STORE", "mongo"),
                Probe.observedWith(
                        database,
                        "CHAT_HISTORY_STORE",
                        "postgres",
                        ConfigurationTableIT::storeUpWhenReady),
                Probe.requiredWith(
                        postgresStoreWithout(database, "QUARKUS_DATASOURCE_REACTIVE_URL"),
                        "QUARKUS_DATASOURCE_REACTIVE_URL",
                        databaseUrl,
                        ConfigurationTableIT::storeUpWhenReady),
                Probe.requiredWith(
                        postgresStoreWithout(database, "QUARKUS_DATASOURCE_USERNAME"),
                        "QUARKUS_DATASOURCE_USERNAME",
                        DATABASE_USER,
                        ConfigurationTableIT::storeUpWhenReady),
                Probe.requiredWith(
                        postgresStoreWithout(database, "QUARKUS_DATASOURCE_PASSWORD"),
                        "QUARKUS_DATASOURCE_PASSWORD",
                        DATABASE_PASSWORD,
                        ConfigurationTableIT::storeUpWhenReady),
                Probe.refused("CHAT_HISTORY_RETENTION_MAX_AGE", "soon"),
                Probe.refused("CHAT_HISTORY_RETENTION_MAX_MESSAGES", "0"),
                Probe.refused("CHAT_HISTORY_RETENTION_INTERVAL", "soon"),
                Probe.refused("CHAT_HISTORY_RETENTION_BATCH_SIZE", "0"),
                Probe.refused("CHAT_HISTORY_POSTGRES_MAX_BATCH", "0"),
                Probe.refused("CHAT_HISTORY_POSTGRES_MAX_QUEUED", "0"),
                Probe.refused("CHAT_HISTORY_POSTGRES_TIMEOUT", "soon"),
                Probe.refused("CHAT_HISTORY_POSTGRES_MAX_RECOVERY", "0"),
                Probe.refused("CHAT_HISTORY_POSTGRES_CHECK_INTERVAL", "soon"),
                Probe.refused("CHAT_IDEMPOTENCY_WINDOW", "10ms"),
                Probe.refused("CHAT_IDEMPOTENCY_MAX_KEYS_PER_USER", "0"),
                Probe.refused("CHAT_IDEMPOTENCY_MAX_KEYS", "0"),
                Probe.refused("CHAT_BACKPLANE", "carrier-pigeon"),
                Probe.refused("QUARKUS_REDIS_HOSTS", "redis://[broken"),
                Probe.refused("QUARKUS_REDIS_CLIENT_TYPE", "ring"),
                Probe.observedWith(
                        behindSentinel,
                        "QUARKUS_REDIS_MASTER_NAME",
                        "probe-primary",
                        ConfigurationTableIT::primaryAskedOfSentinel),
                Probe.refused("CHAT_BACKPLANE_REDIS_KEY_PREFIX", "has spaces"),
                Probe.refused("CHAT_BACKPLANE_REDIS_COMMAND_TIMEOUT", "soon"),
                Probe.refused("CHAT_BACKPLANE_REDIS_CHECK_INTERVAL", "soon"),
                Probe.refused("CHAT_BACKPLANE_REDIS_PRESENCE_TTL", "soon"),
                Probe.refused("CHAT_BACKPLANE_REDIS_CHANNEL_GRACE", "soon"),
                Probe.refused("CHAT_BACKPLANE_REDIS_ROOM_TTL", "soon"),
                Probe.refused("CHAT_PRESENCE_MAX_ROOM_SIZE", "-1"),
                Probe.refused("CHAT_JOINED_MAX_MEMBERS", "-1"),
                Probe.refused("CHAT_TYPING_INTERVAL", "10ms"),
                Probe.refused("CHAT_MAX_USER_ROOMS_IN_MEMORY", "0"),
                Probe.refused("CHAT_MAX_LISTED_ROOMS", "0"),
                Probe.refused("CHAT_DEFAULT_ROOM", "Not A Room"),
                Probe.refused("CHAT_MAX_TEXT_LENGTH", "0"),
                Probe.refused("CHAT_EDIT_WINDOW", "-1s"),
                Probe.refused("CHAT_MAX_PENDING_BYTES", "1000"),
                Probe.refused("QUARKUS_WEBSOCKETS_NEXT_SERVER_AUTO_PING_INTERVAL", "soon"),
                Probe.refused("CHAT_KEEPALIVE_PONG_TIMEOUT", "soon"),
                Probe.refused("CHAT_SHUTDOWN_CLOSE_TIMEOUT", "soon"),
                Probe.refused("QUARKUS_SHUTDOWN_TIMEOUT", "soon"),
                Probe.refused("QUARKUS_SHUTDOWN_DELAY", "soon"),
                Probe.observed(
                        "QUARKUS_WEBSOCKETS_NEXT_SERVER_METRICS_ENABLED",
                        "true",
                        ConfigurationTableIT::hasWebSocketsNextMetrics),
                Probe.observedWith(
                        Map.of("CHAT_ALLOW_MISSING_ORIGIN", "true"),
                        "QUARKUS_WEBSOCKETS_NEXT_SERVER_PER_MESSAGE_COMPRESSION_SUPPORTED",
                        "true",
                        ConfigurationTableIT::agreesToDeflate),
                Probe.refused("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "/nonexistent/public-key.pem"),
                Probe.observed(
                        "MP_JWT_VERIFY_ISSUER",
                        "https://another-issuer.test",
                        app ->
                                upgradeStatus(
                                        app,
                                        token("https://another-issuer.test"),
                                        sameOrigin(app))),
                Probe.refused("MP_JWT_VERIFY_PUBLICKEY_ALGORITHM", "XX999"),
                Probe.observed(
                        "SMALLRYE_JWT_TIME_TO_LIVE",
                        "60",
                        app -> upgradeStatus(app, token(ISSUER), sameOrigin(app))),
                Probe.refused("CHAT_TOKEN_EXPIRY_NOTICE", "-1s"),
                Probe.observed("CHAT_USER_NAME_CLAIMS", "sub", ConfigurationTableIT::nameInWelcome),
                Probe.refused("CHAT_USER_NAME_MAX_LENGTH", "0"),
                Probe.observed(
                        "MP_JWT_VERIFY_AUDIENCES",
                        "quarkchat",
                        app -> upgradeStatus(app, token(ISSUER), sameOrigin(app))),
                Probe.refused("QUARKUS_WEBSOCKETS_NEXT_SERVER_MAX_MESSAGE_SIZE", "many"),
                Probe.refused("QUARKUS_WEBSOCKETS_NEXT_SERVER_MAX_FRAME_SIZE", "many"),
                Probe.refused("QUARKUS_HTTP_PORT", "many"),
                Probe.refused("QUARKUS_HTTP_SSL_PORT", "many"),
                Probe.refused("QUARKUS_TLS_KEY_STORE_PEM_0_CERT", "/nonexistent/tls.crt"),
                Probe.refused("QUARKUS_TLS_KEY_STORE_PEM_0_KEY", "/nonexistent/tls.key"),
                Probe.refused("QUARKUS_HTTP_INSECURE_REQUESTS", "sometimes"));
    }

    @BeforeAll
    static void startTheBaseline() throws IOException {
        postgres = PostgresServer.start();
        databaseUrl =
                postgres.reactiveUrl(
                        postgres.createDatabaseOwnedBy(DATABASE_USER, DATABASE_PASSWORD));
        keys = TestTokens.newKeyPair();
        Files.writeString(KEY_FILE, OperatorKeys.pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        baseline =
                PackagedApp.startWithEnvironment(
                                "configuration-baseline", environment(Map.of()), List.of())
                        .awaitListening();
    }

    @AfterAll
    static void stopTheBaseline() throws InterruptedException {
        baseline.close();
        postgres.stop();
    }

    @Test
    void everyDocumentedVariableHasAProbeAndNoProbeIsUndocumented() {
        Set<String> documented =
                ConfigurationTable.rows().stream()
                        .filter(ConfigurationTable.Row::hasVariable)
                        .map(ConfigurationTable.Row::variable)
                        .collect(Collectors.toCollection(TreeSet::new));
        Set<String> probed =
                probes().map(Probe::variable).collect(Collectors.toCollection(TreeSet::new));

        assertThat(probed).isEqualTo(documented);
    }

    @Test
    void everyVariableTheDocumentationAndManifestsNameIsInTheTable() throws IOException {
        Set<String> documented =
                ConfigurationTable.rows().stream()
                        .map(ConfigurationTable.Row::variable)
                        .collect(Collectors.toSet());
        List<Path> sources =
                new ArrayList<>(List.of(Path.of("README.md"), Path.of("bench", "README.md")));
        for (Path directory : List.of(Path.of("docs"), Path.of("k8s"))) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.filter(
                                file ->
                                        file.toString().matches(".*\\.(md|ya?ml)")
                                                && !file.toString().contains("node_modules"))
                        .forEach(sources::add);
            }
        }
        for (Path source : sources) {
            Matcher variables = SETTING_VARIABLE.matcher(Files.readString(source));
            while (variables.find()) {
                assertThat(documented)
                        .as(source + " names " + variables.group())
                        .contains(variables.group());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void settingTheVariableAloneChangesTheService(Probe probe) throws Exception {
        Map<String, String> settings = new HashMap<>(probe.context());
        settings.put(probe.variable(), probe.value());
        String name = "configuration-" + probe.variable().toLowerCase(Locale.ROOT);
        switch (probe.kind()) {
            case REFUSED -> assertRefusesToStart(name, settings, probe);
            case REQUIRED -> {
                assertRefusesToStart(name + "-context", probe.context(), probe);
                assertChangesTheService(name, settings, probe, probe.observe().apply(baseline));
            }
            case OBSERVED -> {
                Object without;
                if (probe.context().isEmpty()) {
                    without = probe.observe().apply(baseline);
                } else {
                    try (PackagedApp app =
                            PackagedApp.startWithEnvironment(
                                            name + "-context",
                                            environment(probe.context()),
                                            List.of())
                                    .awaitListening()) {
                        without = probe.observe().apply(app);
                    }
                }
                assertChangesTheService(name, settings, probe, without);
            }
        }
    }

    /** Databases the service cannot use, what the service must say about each, and why. */
    static Stream<Arguments> unusableDatabases() {
        String elsewhere = "postgresql://127.0.0.1:" + LocalProcess.freePort() + "/chat";
        String missing = databaseUrl.substring(0, databaseUrl.lastIndexOf('/')) + "/no_such_db";
        return Stream.of(
                Arguments.of("no URL", Map.of(), "no database is configured"),
                Arguments.of(
                        "a wrong password",
                        Map.of(
                                "QUARKUS_DATASOURCE_REACTIVE_URL",
                                databaseUrl,
                                "QUARKUS_DATASOURCE_PASSWORD",
                                "wrong-" + DATABASE_PASSWORD),
                        "password authentication failed for user \"" + DATABASE_USER + "\""),
                Arguments.of(
                        "nothing listening",
                        Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", elsewhere),
                        "Connection to 127.0.0.1:"),
                Arguments.of(
                        "no such database",
                        Map.of(
                                "QUARKUS_DATASOURCE_REACTIVE_URL",
                                missing,
                                "QUARKUS_DATASOURCE_PASSWORD",
                                DATABASE_PASSWORD),
                        "database \"no_such_db\" does not exist"));
    }

    /**
     * With a database it cannot use, the PostgreSQL store keeps the service from starting: one line
     * says what the database or the network answered and which settings to check, with no stack
     * trace and no password.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableDatabases")
    void aDatabaseTheServiceCannotUseStopsItsStartInOneLine(
            String what, Map<String, String> database, String answer) {
        Map<String, String> settings = new HashMap<>(database);
        settings.put("CHAT_HISTORY_STORE", "postgres");
        settings.put("QUARKUS_DATASOURCE_USERNAME", DATABASE_USER);
        try (PackagedApp app =
                PackagedApp.startWithEnvironment(
                        "configuration-unusable-database", environment(settings), List.of())) {
            assertThat(app.awaitRefusalToStart()).isNotZero();
            assertThat(app.output())
                    .as("what the service says with " + what)
                    .contains(answer, "QUARKUS_DATASOURCE_REACTIVE_URL")
                    .doesNotContain("\tat ", DATABASE_PASSWORD);
        }
    }

    private static void assertRefusesToStart(
            String name, Map<String, String> settings, Probe probe) {
        try (PackagedApp app =
                PackagedApp.startWithEnvironment(name, environment(settings), List.of())) {
            assertThat(app.awaitRefusalToStart()).isNotZero();
            assertThat(app.output()).containsAnyOf(probe.variable(), property(probe.variable()));
        }
    }

    private static void assertChangesTheService(
            String name, Map<String, String> settings, Probe probe, Object without) {
        try (PackagedApp app =
                PackagedApp.startWithEnvironment(name, environment(settings), List.of())
                        .awaitListening()) {
            assertThat(probe.observe().apply(app))
                    .as("what the service does with " + probe)
                    .isNotEqualTo(without);
        }
    }

    /**
     * What every run has: the two required settings, and plain HTTP so that the probes need no
     * certificate.
     */
    private static Map<String, String> environment(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>();
        environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", KEY_FILE.toString());
        environment.put("MP_JWT_VERIFY_ISSUER", ISSUER);
        environment.put("QUARKUS_HTTP_INSECURE_REQUESTS", "enabled");
        environment.putAll(settings);
        return environment;
    }

    /**
     * The property a documented variable sets, as the table names it (for messages that name the
     * property).
     */
    private static String property(String variable) {
        return ConfigurationTable.rows().stream()
                .filter(row -> row.variable().equals(variable))
                .map(ConfigurationTable.Row::property)
                .findFirst()
                .orElse(variable);
    }

    /** A token issued for ten minutes, whose {@code upn} and {@code sub} differ. */
    private static String token(String issuer) {
        return Jwt.upn("configured-carla")
                .subject("carla-subject")
                .issuer(issuer)
                .expiresIn(600)
                .sign(keys.getPrivate());
    }

    /** The PostgreSQL store, with the probes' database settings but one. */
    private static Map<String, String> postgresStoreWithout(
            Map<String, String> database, String missing) {
        Map<String, String> settings = new HashMap<>(database);
        settings.remove(missing);
        settings.put("CHAT_HISTORY_STORE", "postgres");
        return settings;
    }

    /** The name of the primary the instance asks the sentinels for, as its log says. */
    private static String primaryAskedOfSentinel(PackagedApp app) {
        Pattern asked = Pattern.compile("at (\\S+) via Sentinel ");
        return await().atMost(ChatClient.TIMEOUT)
                .until(
                        () -> {
                            Matcher line = asked.matcher(app.output());
                            return line.find() ? line.group(1) : null;
                        },
                        Objects::nonNull);
    }

    /**
     * {@code chat_store_up} once the service is ready: no such series with the memory store, 1 once
     * the PostgreSQL store answers.
     */
    private static Optional<Double> storeUpWhenReady(PackagedApp app) {
        app.awaitReadiness(200);
        return Metrics.at(app.baseUri().toString()).find("chat_store_up");
    }

    /** The user name the service takes from {@link #token}. */
    private static String nameInWelcome(PackagedApp app) {
        try (ChatClient client =
                ChatClient.open(
                        ChatClient.handshake(app.baseUri())
                                .header("Authorization", "Bearer " + token(ISSUER))
                                .header("Origin", sameOrigin(app)))) {
            return client.awaitFrame(frame -> "welcome".equals(frame.getString("type")))
                    .getString("user");
        }
    }

    private static String sameOrigin(PackagedApp app) {
        return "http://" + app.baseUri().getHost() + ":" + app.baseUri().getPort();
    }

    /** 101 if the upgrade was accepted, else the status it was refused with. */
    private static int upgradeStatus(PackagedApp app, String token, String origin) {
        ChatClient.Handshake handshake =
                ChatClient.handshake(app.baseUri()).header("Authorization", "Bearer " + token);
        if (origin != null) {
            handshake.header("Origin", origin);
        }
        try {
            ChatClient.open(handshake).close();
            return ACCEPTED;
        } catch (IllegalStateException refused) {
            if (refused.getCause() instanceof WebSocketHandshakeException handshakeRefused) {
                return handshakeRefused.getResponse().statusCode();
            }
            throw refused;
        }
    }

    /**
     * With one upgrade a second per address allowed: the status of an upgrade (without a token)
     * that a proxy forwards for a second client right after a first. 401 if the service tells the
     * clients apart by {@code X-Forwarded-For}, 429 if it counts them both against the proxy's
     * address.
     */
    private static int secondForwardedClientStatus(PackagedApp app) {
        ChatClient.rejectedStatus(
                ChatClient.handshake(app.baseUri()).header("X-Forwarded-For", "203.0.113.1"));
        return ChatClient.rejectedStatus(
                ChatClient.handshake(app.baseUri()).header("X-Forwarded-For", "203.0.113.2"));
    }

    /** What a {@code history} frame for six messages of the lobby gets: a page, or which error. */
    private static String answerToAPageOfSix(PackagedApp app) {
        try (ChatClient client =
                ChatClient.open(
                        ChatClient.handshake(app.baseUri())
                                .header("Authorization", "Bearer " + token(ISSUER))
                                .header("Origin", sameOrigin(app)))) {
            client.awaitFrame(frame -> "joined".equals(frame.getString("type")));
            client.sendJson(
                    new JsonObject()
                            .put("type", "history")
                            .put("room", "lobby")
                            .put("limit", 6)
                            .put("id", "six"));
            JsonObject answer =
                    client.awaitFrame(
                            frame ->
                                    "six".equals(frame.getString("id"))
                                            || "six".equals(frame.getString("ref")));
            return answer.getString("type") + " " + answer.getString("code", "");
        }
    }

    private static boolean hasWebSocketsNextMetrics(PackagedApp app) {
        try (ChatClient client =
                ChatClient.open(
                        ChatClient.handshake(app.baseUri())
                                .header("Authorization", "Bearer " + token(ISSUER))
                                .header("Origin", sameOrigin(app)))) {
            client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
        }
        return Metrics.at(app.baseUri().toString()).scrape().contains("quarkus_websockets_server");
    }

    private static boolean agreesToDeflate(PackagedApp app) {
        try (RawWebSocket socket =
                RawWebSocket.connectOffering(
                        app.baseUri(),
                        token(ISSUER),
                        "permessage-deflate; client_max_window_bits")) {
            return socket.handshakeResponse()
                    .toLowerCase(Locale.ROOT)
                    .contains("permessage-deflate");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
