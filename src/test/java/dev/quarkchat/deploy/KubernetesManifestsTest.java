package dev.quarkchat.deploy;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.testing.ConfigMappings;
import dev.quarkchat.testing.ConfigurationTable;
import dev.quarkchat.testing.KubernetesDeployment;

import io.quarkus.test.junit.QuarkusTest;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Kubernetes manifests agree with the application they deploy: ports, probe paths the service
 * really answers, environment variables that are real settings, a grace period longer than the
 * drain, the alert rules promtool tests, resources and a locked-down security context.
 */
@QuarkusTest
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path BASE = K8S.resolve("base");
    private static final Path REDIS_OVERLAY = K8S.resolve("overlays").resolve("redis-backplane");
    private static final Path OLDER_CLUSTERS_OVERLAY =
            K8S.resolve("overlays").resolve("before-1.30");
    private static final Path POSTGRES_OVERLAY = K8S.resolve("overlays").resolve("redis-postgres");
    private static final Path POSTGRES_COMPONENT =
            K8S.resolve("components").resolve("postgres-history");
    private static final Path POSTGRES_EXAMPLE =
            K8S.resolve("examples").resolve("cloudnative-pg-cluster.yaml");
    private static final Path INGRESS_EXAMPLE =
            K8S.resolve("examples").resolve("ingress-nginx.yaml");

    /** The page's files, served from the root. */
    private static final Path PAGE = Path.of("src", "main", "resources", "META-INF", "resources");

    /** What browsers ask besides the page's files: the chat's socket and the name rules. */
    private static final List<String> PUBLIC_PATHS = List.of("/chat", "/user-name-rules");

    /**
     * Paths of the server API and the management interface, which stay inside the cluster: the
     * Ingress must route none of them.
     */
    private static final List<String> INTERNAL_PATHS =
            List.of(
                    "/api",
                    "/api/v1",
                    "/api/v1/rooms",
                    "/api/v1/rooms/general/messages",
                    "/api/v1/rooms/general/messages/7",
                    "/api/v1/rooms/general/members/mallory",
                    "/api/v1/users/mallory/disconnect",
                    "/api/v1/bans",
                    "/api/v1/bans/mallory",
                    "/q",
                    "/q/metrics",
                    "/q/health/ready",
                    "/q/openapi");

    /**
     * Variables whose values are credentials: the database password, and Redis' address (its URL
     * carries the password).
     */
    private static final Set<String> CREDENTIALS =
            Set.of("QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_REDIS_HOSTS");

    private static final Path APPLICATION_PROPERTIES =
            Path.of("src", "main", "resources", "application.properties");
    private static final int DEFAULT_HTTPS_PORT = 8443;

    @Test
    void theKustomizationsListEveryManifest() throws IOException {
        assertThat(strings(yaml(K8S.resolve("kustomization.yaml")).get("resources")))
                .containsExactly("base", "monitoring");
        for (Path directory : List.of(BASE, K8S.resolve("monitoring"))) {
            List<String> listed =
                    strings(yaml(directory.resolve("kustomization.yaml")).get("resources"));
            try (Stream<Path> files = Files.list(directory)) {
                Set<String> manifests =
                        files.map(file -> file.getFileName().toString())
                                .filter(
                                        file ->
                                                file.endsWith(".yaml")
                                                        && !file.equals("kustomization.yaml"))
                                .collect(Collectors.toCollection(TreeSet::new));
                assertThat(listed)
                        .as(directory.toString())
                        .containsExactlyInAnyOrderElementsOf(manifests);
            }
        }
    }

    @Test
    void theRedisOverlayTurnsOnTheBackplaneWithRealSettingsAndPatchesObjectsOfTheBase()
            throws IOException {
        Map<String, Object> overlay = yaml(REDIS_OVERLAY.resolve("kustomization.yaml"));
        assertThat(strings(overlay.get("resources")))
                .containsExactly("../../base", "../../monitoring");
        Map<String, String> settings = new TreeMap<>();
        for (Map<String, Object> patch : maps(overlay.get("patches"))) {
            Map<String, Object> target = map(patch.get("target"));
            assertThat(baseObjects())
                    .as("patch target")
                    .contains(target.get("kind") + "/" + target.get("name"));
            for (Map<String, Object> operation :
                    maps(new Yaml().load(String.valueOf(patch.get("patch"))))) {
                String path = String.valueOf(operation.get("path"));
                Object value = operation.get("value");
                if (path.startsWith("/data/")) {
                    settings.put(path.substring("/data/".length()), String.valueOf(value));
                } else if (path.endsWith("/env/-")) {
                    settings.put(String.valueOf(map(value).get("name")), "(from a secret)");
                }
            }
        }
        assertThat(settings)
                .containsEntry("CHAT_BACKPLANE", "redis")
                .containsKey("QUARKUS_REDIS_HOSTS");
        for (String variable : settings.keySet()) {
            String property = ConfigurationTable.propertyFor(variable);
            if (property.startsWith("chat.")) {
                assertThat(chatProperties()).as(variable).contains(property);
            }
        }
    }

    @Test
    void theOverlayForOlderClustersWaitsInTheServiceAsLongAsTheBaseSleepsBeforeSigterm() {
        KubernetesDeployment base = KubernetesDeployment.build(BASE);
        KubernetesDeployment older = KubernetesDeployment.build(OLDER_CLUSTERS_OVERLAY);

        assertThat(base.preStopSleep()).isPresent();
        assertThat(older.preStopSleep()).as("the sleep action needs Kubernetes 1.30").isEmpty();
        assertThat(duration(older.environment(Map.of()).get("QUARKUS_SHUTDOWN_DELAY")))
                .isEqualTo(base.preStopSleep().get());
    }

    @Test
    void theContainerPortIsTheHttpsPortAndTheServiceAndMonitorUseIt() throws IOException {
        Map<String, Object> container = container();
        Map<String, Object> port = maps(container.get("ports")).get(0);
        assertThat(port.get("containerPort")).isEqualTo(productionHttpsPort());

        Map<String, Object> service = yaml(BASE.resolve("service.yaml"));
        Map<String, Object> servicePort = maps(map(service.get("spec")).get("ports")).get(0);
        assertThat(servicePort.get("targetPort")).isEqualTo(port.get("name"));
        assertThat(map(service.get("metadata")).get("name"))
                .as("the job label the alerts expect")
                .isEqualTo("quarkchat");

        Map<String, Object> endpoint =
                maps(map(yaml(K8S.resolve("monitoring/servicemonitor.yaml")).get("spec"))
                                .get("endpoints"))
                        .get(0);
        assertThat(endpoint.get("port")).isEqualTo(servicePort.get("name"));
        given().when().get(String.valueOf(endpoint.get("path"))).then().statusCode(200);
    }

    @Test
    void theServerApiSharesTheChatPortWhichEveryNetworkPolicyAdmits() throws IOException {
        String containerPort = String.valueOf(maps(container().get("ports")).get(0).get("name"));
        List<Map<String, Object>> servicePorts =
                maps(map(yaml(BASE.resolve("service.yaml")).get("spec")).get("ports"));
        assertThat(servicePorts).as("the API has no port of its own").hasSize(1);
        assertThat(servicePorts.get(0).get("targetPort")).isEqualTo(containerPort);
        for (Path kustomization : kustomizations()) {
            assertThat(KubernetesDeployment.build(kustomization).ingressPorts())
                    .as(kustomization + ": the NetworkPolicy admits the chat's port, the API's too")
                    .containsExactly(containerPort);
        }
        // The server that answers the chat serves the API: it is there, refusing a call without
        // a token.
        given().header("Connection", "close").when().get("/api/v1/rooms").then().statusCode(401);
    }

    @Test
    void theExampleIngressRoutesTheChatAndThePageButNeitherTheApiNorTheManagementPaths()
            throws IOException {
        Map<String, Object> ingress = yaml(INGRESS_EXAMPLE);
        String servicePort =
                String.valueOf(
                        maps(map(yaml(BASE.resolve("service.yaml")).get("spec")).get("ports"))
                                .get(0)
                                .get("name"));
        List<Map<String, Object>> paths = new ArrayList<>();
        for (Map<String, Object> rule : maps(map(ingress.get("spec")).get("rules"))) {
            paths.addAll(maps(map(rule.get("http")).get("paths")));
        }
        for (Map<String, Object> path : paths) {
            Map<String, Object> service = map(map(path.get("backend")).get("service"));
            assertThat(service.get("name")).isEqualTo("quarkchat");
            assertThat(map(service.get("port")).get("name")).isEqualTo(servicePort);
        }

        List<String> pagePaths = pagePaths();
        for (String path : pagePaths) {
            assertThat(routed(paths, path)).as(path + " is routed").isTrue();
            given().header("Connection", "close").when().get(path).then().statusCode(200);
        }
        for (String path : PUBLIC_PATHS) {
            assertThat(routed(paths, path)).as(path + " is routed").isTrue();
        }
        for (String path : INTERNAL_PATHS) {
            assertThat(routed(paths, path)).as(path + " stays inside the cluster").isFalse();
        }
    }

    @Test
    void everyProbeAsksAHealthEndpointTheServiceAnswers() throws IOException {
        Map<String, Object> container = container();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            Map<String, Object> httpGet = map(map(container.get(probe)).get("httpGet"));
            assertThat(httpGet.get("port"))
                    .isEqualTo(maps(container.get("ports")).get(0).get("name"));
            String path = String.valueOf(httpGet.get("path"));
            assertThat(path).startsWith("/q/health/");
            assertThat(httpGet.get("scheme"))
                    .as("probes speak TLS, as the port does")
                    .isEqualTo("HTTPS");
            given().when().get(path).then().statusCode(200);
        }
    }

    @Test
    void everyEnvironmentVariableIsARealSettingListedInTheConfigurationTable() throws IOException {
        Set<String> chatProperties = chatProperties();
        for (Path kustomization : kustomizations()) {
            for (String variable : KubernetesDeployment.build(kustomization).variableNames()) {
                String property = ConfigurationTable.propertyFor(variable);
                assertThat(ConfigurationTable.row(property))
                        .as(kustomization + ": " + ConfigurationTable.FILE + " lists " + property)
                        .hasValueSatisfying(row -> assertThat(row.variable()).isEqualTo(variable));
                if (property.startsWith("chat.")) {
                    assertThat(chatProperties)
                            .as(kustomization + ": " + variable)
                            .contains(property);
                }
            }
        }
    }

    @Test
    void credentialsComeFromSecretsAndAreNeverWrittenInTheManifests() throws IOException {
        for (Path kustomization : kustomizations()) {
            KubernetesDeployment deployment = KubernetesDeployment.build(kustomization);
            for (String variable : deployment.variableNames()) {
                if (CREDENTIALS.contains(variable) || variable.contains("PASSWORD")) {
                    assertThat(deployment.literalVariables())
                            .as(kustomization + ": " + variable + " spelled out")
                            .doesNotContain(variable);
                    assertThat(deployment.variablesFromSecrets())
                            .as(kustomization + ": " + variable + " from a secret")
                            .containsKey(variable);
                }
            }
        }
    }

    @Test
    void thePostgresOverlayIsTheRedisOverlayWithTheStoreComponent() throws IOException {
        Map<String, Object> overlay = yaml(POSTGRES_OVERLAY.resolve("kustomization.yaml"));
        assertThat(strings(overlay.get("resources"))).containsExactly("../redis-backplane");
        assertThat(strings(overlay.get("components")))
                .containsExactly("../../components/postgres-history");
        assertThat(yaml(POSTGRES_COMPONENT.resolve("kustomization.yaml")))
                .containsEntry("apiVersion", "kustomize.config.k8s.io/v1alpha1")
                .containsEntry("kind", "Component");

        KubernetesDeployment deployment = KubernetesDeployment.build(POSTGRES_OVERLAY);
        Map<String, String> environment =
                deployment.environment(
                        Map.of(
                                "quarkchat-redis", Map.of("hosts", "redis://redis:6379"),
                                "quarkchat-db",
                                        Map.of("username", "quarkchat", "password", "secret")));
        assertThat(environment)
                .containsEntry("CHAT_BACKPLANE", "redis")
                .containsEntry("CHAT_HISTORY_STORE", "postgres")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "quarkchat")
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "secret");
        assertThat(
                        HistoryConfig.Store.valueOf(
                                environment.get("CHAT_HISTORY_STORE").toUpperCase(Locale.ROOT)))
                .isEqualTo(HistoryConfig.Store.POSTGRES);
        assertThat(URI.create(environment.get("QUARKUS_DATASOURCE_REACTIVE_URL")).getScheme())
                .isEqualTo("postgresql");
        assertThat(deployment.variablesFromSecrets())
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "quarkchat-db/username")
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "quarkchat-db/password")
                .containsEntry("QUARKUS_REDIS_HOSTS", "quarkchat-redis/hosts");
        assertThat(deployment.egressPorts()).contains(53, 6379, 5432);
        assertThat(deployment.replicas())
                .as("as many as the Redis overlay")
                .isEqualTo(KubernetesDeployment.build(REDIS_OVERLAY).replicas());
    }

    @Test
    void theCloudNativePgExampleIsTheDatabaseTheComponentConnectsTo() throws IOException {
        Map<String, Object> cluster = yaml(POSTGRES_EXAMPLE);
        Map<String, Object> initdb =
                map(map(map(cluster.get("spec")).get("bootstrap")).get("initdb"));
        KubernetesDeployment deployment = KubernetesDeployment.build(POSTGRES_OVERLAY);
        URI url =
                URI.create(
                        deployment
                                .environment(
                                        Map.of(
                                                "quarkchat-redis", Map.of("hosts", ""),
                                                "quarkchat-db",
                                                        Map.of("username", "", "password", "")))
                                .get("QUARKUS_DATASOURCE_REACTIVE_URL"));

        assertThat(url.getHost())
                .as("the read-write Service of the cluster")
                .isEqualTo(map(cluster.get("metadata")).get("name") + "-rw");
        assertThat(url.getPath()).isEqualTo("/" + initdb.get("database"));
        assertThat(initdb.get("owner")).as("the user owns the database").isNotNull();
        assertThat(deployment.variablesFromSecrets().get("QUARKUS_DATASOURCE_PASSWORD"))
                .as("the cluster creates its user from the secret the service reads")
                .isEqualTo(map(initdb.get("secret")).get("name") + "/password");
    }

    @Test
    void theGracePeriodOutlastsTheWholeDrain() throws IOException {
        Map<String, Object> pod = podSpec();
        Map<String, String> settings = configMap();
        Duration preStop =
                Duration.ofSeconds(
                        ((Number)
                                        map(map(map(container().get("lifecycle")).get("preStop"))
                                                        .get("sleep"))
                                                .get("seconds"))
                                .longValue());
        Duration drain =
                preStop.plus(duration(settings.get("CHAT_SHUTDOWN_CLOSE_TIMEOUT")))
                        .plus(duration(settings.get("QUARKUS_SHUTDOWN_TIMEOUT")));

        assertThat(
                        Duration.ofSeconds(
                                ((Number) pod.get("terminationGracePeriodSeconds")).longValue()))
                .isGreaterThan(drain);
    }

    @Test
    void thePrometheusRuleHoldsTheRulesPromtoolTests() throws IOException {
        Object operatorRules =
                map(yaml(K8S.resolve("monitoring/prometheusrule.yaml")).get("spec")).get("groups");
        Object testedRules = yaml(K8S.resolve("monitoring/chat-rules.yml")).get("groups");

        assertThat(operatorRules).isEqualTo(testedRules);
    }

    @Test
    void theContainerHasResourcesAndALockedDownSecurityContext() throws IOException {
        Map<String, Object> container = container();
        Map<String, Object> resources = map(container.get("resources"));
        for (String kind : List.of("requests", "limits")) {
            assertThat(map(resources.get(kind))).containsKeys("cpu", "memory");
        }
        Map<String, Object> security = map(container.get("securityContext"));
        assertThat(security)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true);
        assertThat(strings(map(security.get("capabilities")).get("drop"))).containsExactly("ALL");
        assertThat(map(podSpec().get("securityContext"))).containsEntry("runAsNonRoot", true);
    }

    /**
     * The TLS port of the production profile: the deployed settings, else application.properties,
     * else Quarkus' 8443.
     */
    private static int productionHttpsPort() throws IOException {
        String deployed = configMap().get("QUARKUS_HTTP_SSL_PORT");
        if (deployed != null) {
            return Integer.parseInt(deployed);
        }
        Properties application = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            application.load(reader);
        }
        return Integer.parseInt(
                application.getProperty(
                        "%prod.quarkus.http.ssl-port",
                        application.getProperty(
                                "quarkus.http.ssl-port", Integer.toString(DEFAULT_HTTPS_PORT))));
    }

    /**
     * Whether one of an Ingress' paths takes a request for {@code requested}, by the rules of its
     * path types: {@code Exact} the path itself, {@code Prefix} the path and what lies below it,
     * element by element.
     */
    private static boolean routed(List<Map<String, Object>> paths, String requested) {
        for (Map<String, Object> path : paths) {
            String routedPath = String.valueOf(path.get("path"));
            String type = String.valueOf(path.get("pathType"));
            boolean takes =
                    switch (type) {
                        case "Exact" -> requested.equals(routedPath);
                        case "Prefix" -> {
                            String prefix =
                                    routedPath.endsWith("/") ? routedPath : routedPath + "/";
                            yield requested.equals(routedPath) || requested.startsWith(prefix);
                        }
                        default ->
                                throw new AssertionError(
                                        "path type "
                                                + type
                                                + " of "
                                                + routedPath
                                                + ": its meaning is up to the ingress");
                    };
            if (takes) {
                return true;
            }
        }
        return false;
    }

    /** The paths browsers load the page's files from: index.html from the root. */
    private static List<String> pagePaths() throws IOException {
        try (Stream<Path> files = Files.walk(PAGE)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> PAGE.relativize(file).toString().replace('\\', '/'))
                    .map(file -> file.equals("index.html") ? "/" : "/" + file)
                    .sorted()
                    .toList();
        }
    }

    /** Every property of the chat's {@code @ConfigMapping} interfaces, as SmallRye names them. */
    private static Set<String> chatProperties() {
        return ConfigMappings.properties().keySet();
    }

    /** Kind/name of every object the base and its monitoring objects define. */
    private static Set<String> baseObjects() throws IOException {
        Set<String> objects = new TreeSet<>();
        for (Path directory : List.of(BASE, K8S.resolve("monitoring"))) {
            for (String resource :
                    strings(yaml(directory.resolve("kustomization.yaml")).get("resources"))) {
                Map<String, Object> object = yaml(directory.resolve(resource));
                objects.add(object.get("kind") + "/" + map(object.get("metadata")).get("name"));
            }
        }
        return objects;
    }

    /** The base and every overlay: each kustomization an operator may apply. */
    private static List<Path> kustomizations() throws IOException {
        List<Path> kustomizations = new ArrayList<>(List.of(BASE));
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.sorted().forEach(kustomizations::add);
        }
        return kustomizations;
    }

    private static Duration duration(String value) {
        return Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
    }

    private static Map<String, String> configMap() throws IOException {
        return map(yaml(BASE.resolve("configmap.yaml")).get("data")).entrySet().stream()
                .collect(
                        Collectors.toMap(
                                Map.Entry::getKey, entry -> String.valueOf(entry.getValue())));
    }

    private static Map<String, Object> podSpec() throws IOException {
        return map(
                map(map(yaml(BASE.resolve("deployment.yaml")).get("spec")).get("template"))
                        .get("spec"));
    }

    private static Map<String, Object> container() throws IOException {
        return maps(podSpec().get("containers")).get(0);
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        return (List<Map<String, Object>>) value;
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        for (Object item : (List<?>) value) {
            strings.add(String.valueOf(item));
        }
        return strings;
    }
}
