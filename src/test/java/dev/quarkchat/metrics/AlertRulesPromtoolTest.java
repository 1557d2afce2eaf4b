package dev.quarkchat.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.PrometheusServer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The alert rules pass Prometheus' own checker and their unit tests
 * (k8s/monitoring/chat-rules.test.yml, one firing and one quiet case per alert). Runs with {@code
 * ./mvnw verify -Pe2e}.
 */
@Tag("e2e")
class AlertRulesPromtoolTest {

    private static final Path MONITORING = Path.of("k8s", "monitoring");
    private static final long TIMEOUT_SECONDS = 60;

    @Test
    void theRulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "chat-rules.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertFiresAndStaysQuietAsItsUnitTestsSay() throws Exception {
        assertThat(promtool("test", "rules", "chat-rules.test.yml")).contains("SUCCESS");
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = PrometheusServer.tool("promtool").toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process =
                new ProcessBuilder(command)
                        .directory(MONITORING.toFile())
                        .redirectErrorStream(true)
                        .start();
        assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .as("promtool finished")
                .isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
