package dev.quarkchat.testing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The service's own settings as SmallRye Config names them: every {@code @ConfigMapping} interface
 * among the compiled main classes, its prefix, and each method as a kebab-case property
 * ({@code @WithName} and {@code @WithParentName} honoured, nested groups followed).
 */
public final class ConfigMappings {

    private static final Path MAIN_CLASSES = Path.of("target", "classes");

    private ConfigMappings() {}

    /** Every {@code @ConfigMapping} interface compiled into {@code target/classes}. */
    public static List<Class<?>> mappings() {
        try (Stream<Path> files = Files.walk(MAIN_CLASSES)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .map(
                            file ->
                                    MAIN_CLASSES
                                            .relativize(file)
                                            .toString()
                                            .replace(".class", "")
                                            .replace(file.getFileSystem().getSeparator(), "."))
                    .<Class<?>>map(ConfigMappings::load)
                    .filter(type -> type.isAnnotationPresent(ConfigMapping.class))
                    .sorted((a, b) -> a.getName().compareTo(b.getName()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every property of those interfaces, with the method that declares it. */
    public static SortedMap<String, Method> properties() {
        SortedMap<String, Method> properties = new TreeMap<>();
        for (Class<?> mapping : mappings()) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, properties);
        }
        return properties;
    }

    private static void collect(String prefix, Class<?> group, Map<String, Method> properties) {
        for (Method method : group.getMethods()) {
            if (method.getParameterCount() != 0
                    || method.isDefault()
                    || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = prefix + "." + kebabCase(method.getName());
            if (method.isAnnotationPresent(WithParentName.class)) {
                name = prefix;
            } else if (method.isAnnotationPresent(WithName.class)) {
                name = prefix + "." + method.getAnnotation(WithName.class).value();
            }
            if (isGroup(method.getReturnType())) {
                collect(name, method.getReturnType(), properties);
            } else {
                properties.put(name, method);
            }
        }
    }

    /** An interface of ours is a nested group of settings; every other type is a value. */
    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.");
    }

    private static String kebabCase(String methodName) {
        return methodName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, ConfigMappings.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    className + " is in " + MAIN_CLASSES + " but cannot be loaded", e);
        }
    }
}
