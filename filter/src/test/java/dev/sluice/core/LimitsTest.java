package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            5/minute            | 5    | 5    | PT1M  | false
            10 per hour         | 10   | 10   | PT1H  | false
            100/10s             | 100  | 100  | PT10S | false
            10/second burst 50  | 50   | 10   | PT1S  | false
            1000/hour fixed     | 1000 | 1000 | PT1H  | true
            3 / 2 days          | 3    | 3    | PT48H | false
            7/MIN               | 7    | 7    | PT1M  | false
            1/s burst 5 fixed   | 5    | 1    | PT1S  | true
            1/5 sec             | 1    | 1    | PT5S  | false
            """)
    void parsesOneLimit(String expression, long capacity, long refill, Duration period, boolean fixed) {
        Limits limits = Limits.parse(expression);
        assertThat(limits.limits()).containsExactly(new Limit(capacity, refill, period, fixed));
    }

    @Test
    void parsesSeveralLimitsJoinedBySemicolons() {
        Limits limits = Limits.parse("10/second; 500/hour ;10000/day fixed");
        assertThat(limits.limits()).containsExactly(
                new Limit(10, 10, Duration.ofSeconds(1), false),
                new Limit(500, 500, Duration.ofHours(1), false),
                new Limit(10000, 10000, Duration.ofDays(1), true));
        assertThat(limits.smallestCapacity()).isEqualTo(10);
        assertThat(limits.reported()).isEqualTo(new Limit(10000, 10000, Duration.ofDays(1), true));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                   | invalid limit '': expected a limit such as '5/minute' at position 1
            minute               | invalid limit 'minute': expected a request count (a positive whole number), found 'm' at position 1
            5                    | invalid limit '5': expected '/' or 'per' after the count at position 2
            5 each minute        | invalid limit '5 each minute': expected '/' or 'per' after the count at position 3
            5/minnute            | invalid limit '5/minnute': expected a time unit (s, sec, second(s), m, min, minute(s), h, hour(s), d, day(s)), found 'minnute' at position 3
            5/                   | invalid limit '5/': expected a time unit (s, sec, second(s), m, min, minute(s), h, hour(s), d, day(s)) at position 3
            0/minute             | invalid limit '0/minute': expected a request count greater than zero at position 1
            5/0s                 | invalid limit '5/0s': expected a window length greater than zero at position 3
            10/second burst 5    | invalid limit '10/second burst 5': expected a burst of at least the count 10, found 5 at position 17
            10/second burst      | invalid limit '10/second burst': expected a burst capacity (a positive whole number), found the end at position 16
            5/minute;            | invalid limit '5/minute;': expected another limit after ';' at position 10
            5/minute, 10/hour    | invalid limit '5/minute, 10/hour': expected ';' or the end of the expression at position 9
            5/minute fixed fixed | invalid limit '5/minute fixed fixed': expected ';' or the end of the expression at position 16
            99999999999999999999/s | invalid limit '99999999999999999999/s': expected a request count of at most 999999999999999 at position 1
            -5/minute            | invalid limit '-5/minute': expected a request count (a positive whole number), found '-' at position 1
            """)
    void rejectsBadExpressionsSayingWhatWasExpectedWhere(String expression, String message) {
        assertThatThrownBy(() -> Limits.parse(expression))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void timeToRefillFullyCoversTheSlowestLimit() {
        assertThat(Limits.parse("10/second burst 50").timeToRefillFully()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Limits.parse("10/second;100/hour").timeToRefillFully()).isEqualTo(Duration.ofHours(1));
        assertThat(Limits.parse("5/minute burst 12 fixed").timeToRefillFully()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void windowSecondsIsTheTimeToRefillFullyRoundedUp() {
        assertThat(Limits.parse("5/minute").limits().get(0).windowSeconds()).isEqualTo(60);
        assertThat(Limits.parse("10/second burst 50").limits().get(0).windowSeconds()).isEqualTo(5);
        assertThat(Limits.parse("3/second").limits().get(0).windowSeconds()).isEqualTo(1);
    }
}
