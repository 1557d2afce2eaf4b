package dev.quarkchat.api;

/**
 * Query parameters read by the API itself rather than by JAX-RS, which answers 404 for a number it
 * cannot convert: here a bad one is a validation problem naming the parameter.
 */
final class QueryParams {

    private QueryParams() {}

    /** The parameter as an integer from {@code min} to {@code max}; {@code absent} if not given. */
    static long integer(String name, String value, long absent, long min, long max) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException notANumber) {
            throw outside(name, min, max);
        }
        if (number < min || number > max) {
            throw outside(name, min, max);
        }
        return number;
    }

    private static ProblemException outside(String name, long min, long max) {
        return ProblemException.invalid(
                name,
                max == Long.MAX_VALUE
                        ? "must be an integer of at least " + min
                        : "must be an integer from " + min + " to " + max);
    }
}
