package dev.sluice.core;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses configuration durations: a whole number and a unit, {@code 250ms}, {@code 10s},
 * {@code 5 minutes}, {@code 1h}, {@code 2d}. Units: ms, millis; s, sec, second(s); m, min,
 * minute(s); h, hour(s); d, day(s). Digits are ASCII; the longest duration is 36,500 days, so that
 * nanosecond arithmetic on it never overflows.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})\\s*([A-Za-z]+)");
    private static final Duration MAX = Duration.ofDays(36_500);

    private Durations() {
    }

    /**
     * Parses a duration such as {@code 250ms} or {@code 10s}.
     *
     * @throws IllegalArgumentException saying what was expected, quoting the text
     */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim());
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            Duration unit = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                case "ms", "millis" -> Duration.ofMillis(1);
                case "s", "sec", "second", "seconds" -> Duration.ofSeconds(1);
                case "m", "min", "minute", "minutes" -> Duration.ofMinutes(1);
                case "h", "hour", "hours" -> Duration.ofHours(1);
                case "d", "day", "days" -> Duration.ofDays(1);
                default -> null;
            };
            if (unit != null && amount <= MAX.dividedBy(unit)) {
                return unit.multipliedBy(amount);
            }
            if (unit != null) {
                throw new IllegalArgumentException("invalid duration '" + text + "': expected at most " + MAX.toDays() + " days");
            }
        }
        throw new IllegalArgumentException("invalid duration '" + text
                + "': expected a whole number and a unit (ms, s, m, h, d), such as 250ms or 10s");
    }
}
