package dev.sluice.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The parsers of configuration values, each failing with a {@link ConfigurationException} that names
 * the key and the value. Numbers are ASCII digits only: {@link Long#parseLong} and
 * {@link Character#isDigit} also accept the digits of other scripts, which would let {@code ٥} deploy
 * as 5.
 */
final class ConfigValues {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private ConfigValues() {
    }

    /** Whether {@code text} is one or more of the ASCII digits 0 to 9. */
    static boolean isDigits(CharSequence text) {
        if (text.length() == 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The value of ASCII digits, or -1 if {@code text} is not only such digits or exceeds
     * {@code Long.MAX_VALUE}.
     */
    static long digits(CharSequence text) {
        if (!isDigits(text)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            if (value > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    static long positiveLong(String key, String text) {
        long value = digits(text.trim());
        if (value > 0) {
            return value;
        }
        throw new ConfigurationException(key, text, "expected a positive whole number");
    }

    static int intIn(String key, String text, int min, int max) {
        long value = digits(text.trim());
        if (value >= min && value <= max) {
            return (int) value;
        }
        throw new ConfigurationException(key, text, "expected a whole number from " + min + " to " + max);
    }

    /** A duration ({@link Durations}), zero included. */
    static Duration durationOrZero(String key, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, text, e.getMessage());
        }
    }

    /** A duration above zero ({@link Durations}). */
    static Duration duration(String key, String text) {
        Duration duration = durationOrZero(key, text);
        if (duration.isZero()) {
            throw new ConfigurationException(key, text, "expected a duration above zero");
        }
        return duration;
    }

    static boolean bool(String key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(key, text, "expected true or false");
        };
    }

    /** A name of letters, digits and {@code _ . -}, such as a map or cluster name. */
    static String name(String key, String text) {
        if (!NAME.matcher(text).matches()) {
            throw new ConfigurationException(key, text, "expected a name of letters, digits and _ . -");
        }
        return text;
    }

    /** The comma-separated items of {@code text}, trimmed; empty items included, for the caller to refuse. */
    static List<String> list(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            items.add(item.trim());
        }
        return items;
    }
}
