package dev.quarkchat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.testing.ConfigMappings;
import dev.quarkchat.testing.ConfigurationTable;
import dev.quarkchat.testing.ConfigurationTable.Row;

import io.smallrye.config.WithDefault;

import jakarta.validation.Constraint;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/**
 * docs/configuration.md says what the code does: every property of our {@code @ConfigMapping}
 * interfaces has a row, every {@code chat.*} row is a property, and each row's default and allowed
 * values are the ones the code declares ({@code @WithDefault} and the Hibernate Validator
 * constraints), so that a default or a bound changed in code fails the build until the table says
 * so.
 */
class ConfigurationDocsTest {

    private static final String OURS = "chat.";

    /** How the table writes a duration: SmallRye's short form. */
    private static final java.util.regex.Pattern SHORT_DURATION =
            java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private static final java.util.regex.Pattern FIRST_LITERAL =
            java.util.regex.Pattern.compile("^`([^`]*)`");

    private final Map<String, Method> properties = ConfigMappings.properties();
    private final List<Row> rows = ConfigurationTable.rows();

    @Test
    void theMappingsAreFound() {
        assertThat(ConfigMappings.mappings()).contains(ChatConfig.class);
        assertThat(properties).containsKey("chat.rate-limit.messages-per-second");
    }

    @Test
    void everyPropertyHasARowAndEveryRowOfOursIsAProperty() {
        Set<String> documented =
                rows.stream().map(Row::property).collect(Collectors.toCollection(TreeSet::new));
        Set<String> documentedOfOurs =
                documented.stream()
                        .filter(property -> property.startsWith(OURS))
                        .collect(Collectors.toCollection(TreeSet::new));

        assertThat(documented)
                .as("rows of " + ConfigurationTable.FILE)
                .containsAll(properties.keySet());
        assertThat(properties.keySet()).as("properties in code").containsAll(documentedOfOurs);
        assertThat(rows).extracting(Row::property).doesNotHaveDuplicates();
    }

    @Test
    void everyVariableIsItsPropertysEnvironmentName() {
        for (Row row : rows) {
            if (row.hasVariable()) {
                assertThat(row.variable())
                        .as(row.property())
                        .isEqualTo(ConfigurationTable.environmentName(row.property()));
            } else {
                assertThat(row.variable())
                        .as(row.property() + " (set by a profile only)")
                        .isEqualTo("—");
            }
        }
    }

    @Test
    void everyDefaultIsTheCodes() {
        for (Map.Entry<String, Method> property : properties.entrySet()) {
            Row row = ConfigurationTable.row(property.getKey()).orElseThrow();
            WithDefault declared = property.getValue().getAnnotation(WithDefault.class);
            Matcher literal = FIRST_LITERAL.matcher(row.defaultValue());
            if (declared == null) {
                assertThat(literal.find())
                        .as(
                                row.property()
                                        + " has no default in code, so its default cell must "
                                        + "say what applies instead (none, or a phrase), not a value: "
                                        + row.defaultValue())
                        .isFalse();
                continue;
            }
            assertThat(literal.find())
                    .as(row.property() + ": the default cell starts with the value in backquotes")
                    .isTrue();
            if (isDuration(property.getValue())) {
                assertThat(literal.group(1))
                        .as(row.property() + ": durations in the short form")
                        .matches(SHORT_DURATION);
                assertThat(duration(literal.group(1)))
                        .as(row.property())
                        .isEqualTo(duration(declared.value()));
            } else {
                assertThat(literal.group(1)).as(row.property()).isEqualTo(declared.value());
            }
        }
    }

    @Test
    void everyValidationConstraintIsStated() {
        for (Map.Entry<String, Method> property : properties.entrySet()) {
            Row row = ConfigurationTable.row(property.getKey()).orElseThrow();
            Optional<String> allowed = allowed(property.getValue());
            if (allowed.isPresent()) {
                assertThat(row.allowed())
                        .as(row.property() + ": the Allowed cell")
                        .isEqualTo(allowed.get());
            } else {
                assertThat(row.allowed())
                        .as(
                                row.property()
                                        + " has no constraint in code, so its Allowed cell "
                                        + "must not state a bound")
                        .doesNotContain("`")
                        .isNotEmpty();
            }
        }
    }

    /**
     * The allowed values as the table states them, from the method's constraints (its own and those
     * on the type arguments of its return type, "each" for the elements of a collection), else from
     * a closed type (a boolean, an enum); empty for an open type without constraints.
     */
    static Optional<String> allowed(Method method) {
        List<String> phrases = new ArrayList<>(phrases(method.getAnnotations(), "", method));
        phrasesOfTypeArguments(method.getAnnotatedReturnType(), method, phrases);
        if (!phrases.isEmpty()) {
            return Optional.of(String.join("; ", phrases));
        }
        Class<?> type = valueType(method.getGenericReturnType());
        if (type == boolean.class || type == Boolean.class) {
            return Optional.of("`true` or `false`");
        }
        if (type.isEnum()) {
            List<String> values =
                    Arrays.stream(type.getEnumConstants())
                            .map(
                                    value ->
                                            "`"
                                                    + ((Enum<?>) value)
                                                            .name()
                                                            .toLowerCase(Locale.ROOT)
                                                            .replace('_', '-')
                                                    + "`")
                            .toList();
            return Optional.of(
                    values.size() == 1
                            ? values.get(0)
                            : String.join(", ", values.subList(0, values.size() - 1))
                                    + " or "
                                    + values.get(values.size() - 1));
        }
        return Optional.empty();
    }

    private static void phrasesOfTypeArguments(
            AnnotatedType type, Method method, List<String> phrases) {
        if (!(type instanceof AnnotatedParameterizedType parameterized)) {
            return;
        }
        boolean collection =
                type.getType() instanceof ParameterizedType raw
                        && Collection.class.isAssignableFrom((Class<?>) raw.getRawType());
        for (AnnotatedType argument : parameterized.getAnnotatedActualTypeArguments()) {
            phrases.addAll(phrases(argument.getAnnotations(), collection ? "each " : "", method));
            phrasesOfTypeArguments(argument, method, phrases);
        }
    }

    /**
     * One phrase per constraint (a minimum and a maximum together as one range); fails on one it
     * cannot say.
     */
    private static List<String> phrases(Annotation[] annotations, String each, Method method) {
        List<String> phrases = new ArrayList<>();
        String lower = null;
        String upper = null;
        for (Annotation annotation : annotations) {
            if (!annotation.annotationType().isAnnotationPresent(Constraint.class)) {
                continue;
            }
            if (annotation instanceof Min min) {
                lower = "`" + min.value() + "`";
            } else if (annotation instanceof Max max) {
                upper = "`" + max.value() + "`";
            } else if (annotation instanceof DurationMin min) {
                lower =
                        "`"
                                + shortForm(
                                        Duration.ofDays(min.days())
                                                .plusHours(min.hours())
                                                .plusMinutes(min.minutes())
                                                .plusSeconds(min.seconds())
                                                .plusMillis(min.millis())
                                                .plusNanos(min.nanos()))
                                + "`";
                assertThat(min.inclusive())
                        .as(method + ": exclusive bounds are not phrased yet")
                        .isTrue();
            } else if (annotation instanceof DurationMax max) {
                upper =
                        "`"
                                + shortForm(
                                        Duration.ofDays(max.days())
                                                .plusHours(max.hours())
                                                .plusMinutes(max.minutes())
                                                .plusSeconds(max.seconds())
                                                .plusMillis(max.millis())
                                                .plusNanos(max.nanos()))
                                + "`";
                assertThat(max.inclusive())
                        .as(method + ": exclusive bounds are not phrased yet")
                        .isTrue();
            } else if (annotation instanceof Pattern pattern) {
                phrases.add(each + "matches `" + pattern.regexp() + "`");
            } else if (annotation instanceof NotBlank) {
                phrases.add(each + "not blank");
            } else {
                throw new AssertionError(
                        method
                                + " has "
                                + annotation
                                + ", which ConfigurationDocsTest cannot "
                                + "phrase yet: teach it how, so that the table states the constraint");
            }
        }
        if (lower != null && upper != null) {
            phrases.add(0, each + lower + " to " + upper);
        } else if (lower != null) {
            phrases.add(0, each + "at least " + lower);
        } else if (upper != null) {
            phrases.add(0, each + "at most " + upper);
        }
        return phrases;
    }

    /** The type of the value itself: the element of an {@code Optional} or a collection. */
    private static Class<?> valueType(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (raw == Optional.class || Collection.class.isAssignableFrom(raw)) {
                return valueType(parameterized.getActualTypeArguments()[0]);
            }
            return raw;
        }
        return (Class<?>) type;
    }

    private static boolean isDuration(Method method) {
        return valueType(method.getGenericReturnType()) == Duration.class;
    }

    /**
     * A duration as SmallRye Config reads it: the short form, an ISO-8601 one, or a number of
     * seconds.
     */
    private static Duration duration(String value) {
        Matcher shortForm = SHORT_DURATION.matcher(value);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        return Duration.parse(value);
    }

    /**
     * The largest unit that states the duration exactly: {@code 100ms}, {@code 1s}, {@code 10m}.
     */
    private static String shortForm(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        for (Map.Entry<String, Duration> unit :
                List.of(
                        Map.entry("d", Duration.ofDays(1)),
                        Map.entry("h", Duration.ofHours(1)),
                        Map.entry("m", Duration.ofMinutes(1)),
                        Map.entry("s", Duration.ofSeconds(1)),
                        Map.entry("ms", Duration.ofMillis(1)))) {
            if (duration.toNanos() % unit.getValue().toNanos() == 0) {
                return duration.toNanos() / unit.getValue().toNanos() + unit.getKey();
            }
        }
        return duration.toNanos() + "ns";
    }
}
