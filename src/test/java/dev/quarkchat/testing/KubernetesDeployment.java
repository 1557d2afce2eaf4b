package dev.quarkchat.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the quarkchat container gets from a kustomization under {@code k8s/} (the base or an
 * overlay), built the way kustomize builds it (resources, components, then JSON patches): its
 * environment from the ConfigMap and its {@code env} entries, its arguments, and the files of the
 * secrets mounted into it. The packaged-build tests start the service with exactly that, so that
 * what the manifests say is what the service is tested with.
 */
public final class KubernetesDeployment {

    private final List<JsonObject> objects;
    private final JsonObject container;
    private final JsonObject podSpec;

    private KubernetesDeployment(List<JsonObject> objects) {
        this.objects = objects;
        this.podSpec =
                object("Deployment", "quarkchat")
                        .getJsonObject("spec")
                        .getJsonObject("template")
                        .getJsonObject("spec");
        this.container = podSpec.getJsonArray("containers").getJsonObject(0);
    }

    /**
     * Builds the kustomization in that directory ({@code k8s/base}, {@code
     * k8s/overlays/redis-backplane}).
     */
    public static KubernetesDeployment build(Path kustomization) {
        return new KubernetesDeployment(objects(kustomization));
    }

    /**
     * The container's environment: the ConfigMaps of {@code envFrom}, then {@code env} (literal
     * values, and values from secrets, taken from {@code secrets}: secret name → key → value).
     */
    public Map<String, String> environment(Map<String, Map<String, String>> secrets) {
        Map<String, String> environment = new TreeMap<>();
        for (JsonValue source : container.getJsonArray("envFrom")) {
            String configMap =
                    source.asJsonObject().getJsonObject("configMapRef").getString("name");
            object("ConfigMap", configMap)
                    .getJsonObject("data")
                    .forEach(
                            (name, value) ->
                                    environment.put(name, ((JsonString) value).getString()));
        }
        for (JsonValue entry : container.getJsonArray("env")) {
            JsonObject variable = entry.asJsonObject();
            String name = variable.getString("name");
            if (variable.containsKey("value")) {
                environment.put(name, variable.getString("value"));
            } else {
                JsonObject reference =
                        variable.getJsonObject("valueFrom").getJsonObject("secretKeyRef");
                environment.put(
                        name,
                        secret(secrets, reference.getString("name"))
                                .get(reference.getString("key")));
            }
        }
        return environment;
    }

    /**
     * The names of the container's environment variables: the keys of its ConfigMaps and its {@code
     * env} entries.
     */
    public Set<String> variableNames() {
        Set<String> names = new TreeSet<>(literalVariables());
        for (JsonValue entry : container.getJsonArray("env")) {
            names.add(entry.asJsonObject().getString("name"));
        }
        return names;
    }

    /**
     * The variables whose value the manifests spell out: the keys of the container's ConfigMaps and
     * its {@code env} entries with a {@code value}.
     */
    public Set<String> literalVariables() {
        Set<String> names = new TreeSet<>();
        for (JsonValue source : container.getJsonArray("envFrom")) {
            String configMap =
                    source.asJsonObject().getJsonObject("configMapRef").getString("name");
            names.addAll(object("ConfigMap", configMap).getJsonObject("data").keySet());
        }
        for (JsonValue entry : container.getJsonArray("env")) {
            if (entry.asJsonObject().containsKey("value")) {
                names.add(entry.asJsonObject().getString("name"));
            }
        }
        return names;
    }

    /**
     * The variables of {@code env} taken from secrets, each with where from: {@code
     * secret-name/key}.
     */
    public Map<String, String> variablesFromSecrets() {
        Map<String, String> references = new TreeMap<>();
        for (JsonValue entry : container.getJsonArray("env")) {
            JsonObject variable = entry.asJsonObject();
            JsonObject valueFrom = variable.getJsonObject("valueFrom");
            if (valueFrom != null && valueFrom.containsKey("secretKeyRef")) {
                JsonObject reference = valueFrom.getJsonObject("secretKeyRef");
                references.put(
                        variable.getString("name"),
                        reference.getString("name") + "/" + reference.getString("key"));
            }
        }
        return references;
    }

    /** The TCP and UDP ports the pods' NetworkPolicy lets them reach. */
    public Set<Integer> egressPorts() {
        Set<Integer> ports = new TreeSet<>();
        for (JsonValue rule :
                object("NetworkPolicy", "quarkchat").getJsonObject("spec").getJsonArray("egress")) {
            for (JsonValue port : rule.asJsonObject().getJsonArray("ports")) {
                ports.add(port.asJsonObject().getInt("port"));
            }
        }
        return ports;
    }

    /**
     * The ports the pods' NetworkPolicy admits connections to, as the manifests name them (a port's
     * name or number).
     */
    public Set<String> ingressPorts() {
        Set<String> ports = new TreeSet<>();
        for (JsonValue rule :
                object("NetworkPolicy", "quarkchat")
                        .getJsonObject("spec")
                        .getJsonArray("ingress")) {
            for (JsonValue port : rule.asJsonObject().getJsonArray("ports")) {
                JsonValue value = port.asJsonObject().get("port");
                ports.add(value instanceof JsonString name ? name.getString() : value.toString());
            }
        }
        return ports;
    }

    /** How many replicas the Deployment asks for. */
    public int replicas() {
        return object("Deployment", "quarkchat").getJsonObject("spec").getInt("replicas");
    }

    /** The container's {@code args}. */
    public List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        JsonArray args = container.getJsonArray("args");
        if (args != null) {
            args.getValuesAs(JsonString.class)
                    .forEach(argument -> arguments.add(argument.getString()));
        }
        return arguments;
    }

    /**
     * The files the container sees from its secret volumes, by the path it sees them at, with the
     * content {@code secrets} gives each key.
     */
    public Map<String, String> secretFiles(Map<String, Map<String, String>> secrets) {
        Map<String, String> files = new LinkedHashMap<>();
        for (JsonValue mountValue : container.getJsonArray("volumeMounts")) {
            JsonObject mount = mountValue.asJsonObject();
            JsonObject volume = volume(mount.getString("name"));
            if (!volume.containsKey("secret")) {
                continue;
            }
            JsonObject secret = volume.getJsonObject("secret");
            Map<String, String> data = secret(secrets, secret.getString("secretName"));
            Map<String, String> pathByKey = new LinkedHashMap<>();
            if (secret.containsKey("items")) {
                for (JsonValue item : secret.getJsonArray("items")) {
                    pathByKey.put(
                            item.asJsonObject().getString("key"),
                            item.asJsonObject().getString("path"));
                }
            } else {
                data.keySet().forEach(key -> pathByKey.put(key, key));
            }
            pathByKey.forEach(
                    (key, path) ->
                            files.put(mount.getString("mountPath") + "/" + path, data.get(key)));
        }
        return files;
    }

    /** How long the container's {@code preStop} hook sleeps, if it has one. */
    public Optional<Duration> preStopSleep() {
        JsonObject lifecycle = container.getJsonObject("lifecycle");
        if (lifecycle == null) {
            return Optional.empty();
        }
        return Optional.of(
                Duration.ofSeconds(
                        lifecycle
                                .getJsonObject("preStop")
                                .getJsonObject("sleep")
                                .getInt("seconds")));
    }

    /** The paths of the container's startup, readiness and liveness probes. */
    public List<String> probePaths() {
        List<String> paths = new ArrayList<>();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            paths.add(container.getJsonObject(probe).getJsonObject("httpGet").getString("path"));
        }
        return paths;
    }

    private JsonObject volume(String name) {
        return podSpec.getJsonArray("volumes").getValuesAs(JsonObject.class).stream()
                .filter(volume -> volume.getString("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private JsonObject object(String kind, String name) {
        return objects.stream()
                .filter(
                        object ->
                                kind.equals(object.getString("kind"))
                                        && name.equals(
                                                object.getJsonObject("metadata").getString("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, String> secret(
            Map<String, Map<String, String>> secrets, String name) {
        Map<String, String> secret = secrets.get(name);
        if (secret == null) {
            throw new AssertionError(
                    "the manifests use the secret " + name + ", which the test does not provide");
        }
        return secret;
    }

    /**
     * A kustomization's objects: its resources (files, or directories with a kustomization), then
     * what its components add, then its patches.
     */
    private static List<JsonObject> objects(Path directory) {
        return accumulate(directory, new ArrayList<>());
    }

    /**
     * Adds what the kustomization (or {@code Component}) in that directory contributes to the
     * objects built so far, as kustomize does: its resources, then its components', then its
     * patches, which apply to everything accumulated.
     */
    private static List<JsonObject> accumulate(Path directory, List<JsonObject> objects) {
        Map<String, Object> kustomization = yaml(directory.resolve("kustomization.yaml"));
        for (Object resource : list(kustomization.get("resources"))) {
            Path path = directory.resolve(String.valueOf(resource)).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(objects(path));
            } else {
                objects.add(json(yaml(path)));
            }
        }
        for (Object component : list(kustomization.get("components"))) {
            Path path = directory.resolve(String.valueOf(component)).normalize();
            Object kind = yaml(path.resolve("kustomization.yaml")).get("kind");
            if (!"Component".equals(kind)) {
                throw new AssertionError(path + " is listed as a component but is a " + kind);
            }
            accumulate(path, objects);
        }
        for (Object patchValue : list(kustomization.get("patches"))) {
            Map<?, ?> patch = (Map<?, ?>) patchValue;
            Map<?, ?> target = (Map<?, ?>) patch.get("target");
            int index =
                    indexOf(
                            objects,
                            String.valueOf(target.get("kind")),
                            String.valueOf(target.get("name")));
            List<?> operations = new Yaml().load(String.valueOf(patch.get("patch")));
            objects.set(
                    index,
                    Json.createPatch(Json.createArrayBuilder(operations).build())
                            .apply(objects.get(index)));
        }
        return objects;
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    private static int indexOf(List<JsonObject> objects, String kind, String name) {
        for (int i = 0; i < objects.size(); i++) {
            JsonObject object = objects.get(i);
            if (kind.equals(object.getString("kind"))
                    && name.equals(object.getJsonObject("metadata").getString("name"))) {
                return i;
            }
        }
        throw new AssertionError(
                "a patch targets " + kind + " " + name + ", which no resource defines");
    }

    private static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * YAML's maps, lists and scalars as JSON, through JSON-P's own conversion of Java collections.
     */
    private static JsonObject json(Map<String, Object> yaml) {
        return Json.createObjectBuilder(yaml).build();
    }
}
