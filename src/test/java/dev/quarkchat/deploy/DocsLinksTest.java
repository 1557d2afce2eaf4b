package dev.quarkchat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every relative link of the documentation leads somewhere: the file exists, and an anchor names a
 * heading of it (as GitHub makes anchors of headings), so that moving a section breaks the build
 * rather than the reader.
 */
class DocsLinksTest {

    /**
     * {@code [text](target)} and {@code ![alt](target)}; the target up to a space or the closing
     * parenthesis.
     */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *$");
    private static final String FENCE = "```";

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> pages = pages();
        for (Path page : pages) {
            for (String target : links(page)) {
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                if (!Files.exists(linked)) {
                    broken.add(page + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(linked).contains(target.substring(hash + 1))) {
                    broken.add(page + ": " + target + " (no such heading in " + linked + ")");
                }
            }
        }

        assertThat(pages).contains(Path.of("README.md"), Path.of("docs", "configuration.md"));
        assertThat(broken).isEmpty();
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertThat(anchor("Rooms, order and presence")).isEqualTo("rooms-order-and-presence");
        assertThat(anchor("The `/chat` protocol")).isEqualTo("the-chat-protocol");
        assertThat(anchor("Writing a reliable client")).isEqualTo("writing-a-reliable-client");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages =
                new ArrayList<>(List.of(Path.of("README.md"), Path.of("bench", "README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(file -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The link targets of a page, outside fenced code blocks. */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean inCode = false;
        for (String line : Files.readAllLines(page)) {
            if (line.trim().startsWith(FENCE)) {
                inCode = !inCode;
            } else if (!inCode) {
                Matcher link = LINK.matcher(line);
                while (link.find()) {
                    targets.add(link.group(1));
                }
            }
        }
        return targets;
    }

    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new TreeSet<>();
        if (!page.toString().endsWith(".md")) {
            return anchors;
        }
        boolean inCode = false;
        for (String line : Files.readAllLines(page)) {
            if (line.trim().startsWith(FENCE)) {
                inCode = !inCode;
            }
            Matcher heading = HEADING.matcher(line);
            if (!inCode && heading.matches()) {
                anchors.add(anchor(heading.group(1)));
            }
        }
        return anchors;
    }

    /**
     * GitHub's rule: lower case, punctuation but hyphens and underscores dropped, spaces as
     * hyphens.
     */
    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }
}
