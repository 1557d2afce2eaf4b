package dev.quarkchat.testing;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What the heap of this JVM (which runs a {@code @QuarkusTest}'s application) holds, counted by the
 * JVM's own class histogram, which collects garbage first.
 */
public final class LiveHeap {

    private LiveHeap() {}

    /** How many live instances of the class there are now. */
    public static long instances(String className) {
        Matcher row =
                Pattern.compile(
                                "^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+"
                                        + Pattern.quote(className)
                                        + "(\\s|$)",
                                Pattern.MULTILINE)
                        .matcher(histogram());
        return row.find() ? Long.parseLong(row.group(1)) : 0;
    }

    private static String histogram() {
        try {
            return (String)
                    ManagementFactory.getPlatformMBeanServer()
                            .invoke(
                                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                    "gcClassHistogram",
                                    new Object[] {new String[0]},
                                    new String[] {String[].class.getName()});
        } catch (JMException unavailable) {
            throw new IllegalStateException("This JVM gives no class histogram", unavailable);
        }
    }
}
