package dev.sluice.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import org.jspecify.annotations.NullMarked;

/**
 * The limits of one policy, parsed from an expression such as {@code 5/minute},
 * {@code 10 per hour}, {@code 100/10s}, {@code 10/second burst 50} or {@code 1000/hour fixed};
 * several are joined with {@code ;} and a request must satisfy all of them.
 *
 * <p>Grammar, case-insensitive, spaces optional except between words:
 * <pre>
 * limits := limit (';' limit)*
 * limit  := COUNT ('/' | 'per') [AMOUNT] UNIT ['burst' CAPACITY] ['fixed']
 * UNIT   := s | sec | second | seconds | m | min | minute | minutes | h | hour | hours | d | day | days
 * </pre>
 * {@code burst N} sets the bucket's capacity to {@code N} (at least {@code COUNT}); {@code fixed}
 * returns all tokens at once at the end of each window instead of one by one.
 *
 * <p>Numbers are ASCII digits, at most 999,999,999,999,999 (the largest integer an HTTP structured
 * field carries, so every limit can be reported in {@code RateLimit-Policy}); the time a bucket takes
 * to refill fully is at most 36,500 days, and a limit refills at most one token per nanosecond
 * (Bucket4j's finest rate).
 *
 * <p>Immutable and thread-safe.
 */
@NullMarked
public final class Limits {

    private final String expression;
    private final List<Limit> limits;

    private Limits(String expression, List<Limit> limits) {
        this.expression = expression;
        this.limits = List.copyOf(limits);
    }

    /**
     * Parses a limit expression.
     *
     * @throws IllegalArgumentException naming the expression, the position and what was expected there
     */
    public static Limits parse(String expression) {
        if (expression == null) {
            throw new IllegalArgumentException("limit expression must not be null");
        }
        return new Limits(expression.trim(), new LimitParser(expression).parse());
    }

    /** The limits in the order written. */
    public List<Limit> limits() {
        return limits;
    }

    /** The expression as written, trimmed. */
    public String expression() {
        return expression;
    }

    /** The least capacity of all limits: the most tokens one request can ever take. */
    public long smallestCapacity() {
        return limits.stream().mapToLong(Limit::capacity).min().orElseThrow();
    }

    /** How long an idle bucket takes to become full again, after which it holds no information. */
    public Duration timeToRefillFully() {
        return limits.stream().map(Limit::timeToRefillFully).max(Duration::compareTo).orElseThrow();
    }

    /** The limit with the lowest sustained rate: the one reported in the rate-limit headers. */
    Limit reported() {
        Limit slowest = limits.get(0);
        for (Limit limit : limits) {
            if (limit.tokensPerSecond() < slowest.tokensPerSecond()) {
                slowest = limit;
            }
        }
        return slowest;
    }

    /** The Bucket4j configuration; each bandwidth is identified by its position. */
    BucketConfiguration toBucketConfiguration() {
        ConfigurationBuilder builder = BucketConfiguration.builder();
        for (int i = 0; i < limits.size(); i++) {
            Limit limit = limits.get(i);
            BandwidthBuilder.BandwidthBuilderRefillStage capacity = Bandwidth.builder().capacity(limit.capacity());
            BandwidthBuilder.BandwidthBuilderBuildStage refill = limit.fixed()
                    ? capacity.refillIntervally(limit.refillTokens(), limit.period())
                    : capacity.refillGreedy(limit.refillTokens(), limit.period());
            builder.addLimit(refill.id("limit-" + i).build());
        }
        return builder.build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Limits that && limits.equals(that.limits);
    }

    @Override
    public int hashCode() {
        return limits.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }

    /** A hand-written scanner, so that errors can say where the expression went wrong. */
    private static final class LimitParser {
        /** The largest integer of an RFC 8941/9651 structured field: 15 digits. */
        private static final long MAX_NUMBER = 999_999_999_999_999L;
        private static final Duration MAX_WINDOW = Duration.ofDays(36_500);
        private static final String UNITS = "s, sec, second(s), m, min, minute(s), h, hour(s), d, day(s)";

        private final String text;
        private int pos;

        LimitParser(String text) {
            this.text = text;
        }

        List<Limit> parse() {
            List<Limit> result = new ArrayList<>();
            skipSpaces();
            if (pos == text.length()) {
                throw error("expected a limit such as '5/minute'");
            }
            while (true) {
                result.add(limit());
                skipSpaces();
                if (pos == text.length()) {
                    return result;
                }
                if (text.charAt(pos) != ';') {
                    throw error("expected ';' or the end of the expression");
                }
                pos++;
                skipSpaces();
                if (pos == text.length()) {
                    throw error("expected another limit after ';'");
                }
            }
        }

        private Limit limit() {
            int begin = pos;
            long count = number("a request count");
            skipSpaces();
            if (peek('/')) {
                pos++;
            } else if (word().equalsIgnoreCase("per")) {
                pos += 3;
            } else {
                throw error("expected '/' or 'per' after the count");
            }
            skipSpaces();
            long amount = 1;
            int amountAt = pos;
            if (pos < text.length() && ConfigValues.isDigit(text.charAt(pos))) {
                amount = number("a window length");
                skipSpaces();
            }
            Duration unit = unit();
            if (amount > MAX_WINDOW.dividedBy(unit)) {
                throw error("expected a window of at most " + MAX_WINDOW.toDays() + " days", amountAt);
            }
            Duration period = unit.multipliedBy(amount);
            if (count > period.toNanos()) {
                throw error("expected at most one request per nanosecond (" + period.toNanos() + " per " + period
                        + "), found " + count, begin);
            }
            long capacity = count;
            boolean fixed = false;
            boolean burstSeen = false;
            while (true) {
                int start = pos;
                skipSpaces();
                String modifier = word().toLowerCase(java.util.Locale.ROOT);
                if (modifier.equals("burst") && !burstSeen && start != pos) {
                    pos += modifier.length();
                    skipSpaces();
                    capacity = number("a burst capacity");
                    if (capacity < count) {
                        throw error("expected a burst of at least the count " + count + ", found " + capacity,
                                pos - Long.toString(capacity).length());
                    }
                    burstSeen = true;
                } else if (modifier.equals("fixed") && !fixed && start != pos) {
                    pos += modifier.length();
                    fixed = true;
                } else {
                    pos = start;
                    Limit limit = new Limit(capacity, count, period, fixed);
                    if (!fitsWindow(limit)) {
                        throw error("expected a bucket that refills fully within " + MAX_WINDOW.toDays()
                                + " days; this one takes longer (lower the burst or shorten the window)", begin);
                    }
                    return limit;
                }
            }
        }

        private Duration unit() {
            String unit = word();
            if (unit.isEmpty()) {
                throw error("expected a time unit (" + UNITS + ")");
            }
            Duration duration = switch (unit.toLowerCase(java.util.Locale.ROOT)) {
                case "s", "sec", "second", "seconds" -> Duration.ofSeconds(1);
                case "m", "min", "minute", "minutes" -> Duration.ofMinutes(1);
                case "h", "hour", "hours" -> Duration.ofHours(1);
                case "d", "day", "days" -> Duration.ofDays(1);
                default -> throw error("expected a time unit (" + UNITS + "), found '" + unit + "'");
            };
            pos += unit.length();
            return duration;
        }

        private static boolean fitsWindow(Limit limit) {
            try {
                return limit.timeToRefillFully().compareTo(MAX_WINDOW) <= 0;
            } catch (ArithmeticException e) {
                return false;
            }
        }

        private long number(String what) {
            int start = pos;
            while (pos < text.length() && ConfigValues.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
                throw error("expected " + what + " (a positive whole number), found " + found, start);
            }
            long value = pos - start > 15 ? -1 : ConfigValues.digits(text.substring(start, pos));
            if (value < 0 || value > MAX_NUMBER) {
                throw error("expected " + what + " of at most 999999999999999", start);
            }
            if (value == 0) {
                throw error("expected " + what + " greater than zero", start);
            }
            return value;
        }

        private String word() {
            int end = pos;
            while (end < text.length() && Character.isLetter(text.charAt(end))) {
                end++;
            }
            return text.substring(pos, end);
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String expected) {
            return error(expected, pos);
        }

        private IllegalArgumentException error(String expected, int at) {
            return new IllegalArgumentException(
                    "invalid limit '" + text + "': " + expected + " at position " + (at + 1));
        }
    }
}
