package dev.quarkchat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The configuration table of {@code docs/configuration.md}, the one place that lists every setting:
 * one row per property, {@code | `property` | `ENV_NAME` | default | allowed | meaning |}.
 */
public final class ConfigurationTable {

    public static final Path FILE = Path.of("docs", "configuration.md");
    private static final String HEADER =
            "| Property | Environment variable | Default | Allowed | Meaning |";
    private static final int CELLS = 5;

    /**
     * One row; the property and the variable without their backquotes, the other cells as written.
     */
    public record Row(
            String property, String variable, String defaultValue, String allowed, String meaning) {

        /**
         * Whether the variable cell names a variable (a setting that only a profile sets has a
         * dash).
         */
        public boolean hasVariable() {
            return variable.matches("[A-Z][A-Z0-9_]*");
        }
    }

    private ConfigurationTable() {}

    public static List<Row> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int header = lines.indexOf(HEADER);
        if (header < 0) {
            throw new AssertionError(FILE + " has no table headed " + HEADER);
        }
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            List<String> cells = cells(line);
            if (cells.size() != CELLS) {
                throw new AssertionError(FILE + ": not " + CELLS + " cells: " + line);
            }
            rows.add(
                    new Row(
                            unquoted(cells.get(0)),
                            unquoted(cells.get(1)),
                            cells.get(2),
                            cells.get(3),
                            cells.get(4)));
        }
        return rows;
    }

    public static Optional<Row> row(String property) {
        return rows().stream().filter(row -> row.property().equals(property)).findFirst();
    }

    /** The property an environment variable sets: the row whose SmallRye environment name it is. */
    public static String propertyFor(String variable) {
        return rows().stream()
                .map(Row::property)
                .filter(property -> environmentName(property).equals(variable))
                .findFirst()
                .orElseThrow(() -> new AssertionError(variable + " sets no property of " + FILE));
    }

    /**
     * SmallRye Config's rule: upper case, every character but letters and digits becomes an
     * underscore.
     */
    public static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The cells of a Markdown table row; {@code \|} is a pipe inside a cell. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String inner = line.trim().substring(1, line.trim().length() - 1);
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }

    private static String unquoted(String cell) {
        return cell.startsWith("`") && cell.endsWith("`")
                ? cell.substring(1, cell.length() - 1)
                : cell;
    }
}
