package dev.quarkchat.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditLogTest {

    @Test
    void auditValuesAreQuotedSoThatNoneCanForgeAField() {
        assertThat(AuditLog.quoted("ann\" action=lift")).isEqualTo("\"ann\\\" action=lift\"");
        assertThat(AuditLog.quoted("a\nb\\")).isEqualTo("\"a\\u000Ab\\\\\"");
    }
}
