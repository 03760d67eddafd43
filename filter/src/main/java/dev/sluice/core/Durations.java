package dev.sluice.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses configuration durations: a whole number and a unit, {@code 100ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses a duration such as {@code 250ms} or {@code 10s}.
     *
     * @throws IllegalArgumentException saying what was expected, quoting the text
     */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text
                    + "': expected a whole number and a unit (ms, s, m, h, d), such as 250ms or 10s");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
