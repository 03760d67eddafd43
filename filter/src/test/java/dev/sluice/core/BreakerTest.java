package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Circuit breakers on the manual clock: the design notes' case and the failure-rate variant. */
class BreakerTest {

    private final ManualClock clock = ManualClock.startingNow();

    private Breaker breaker(Map<String, String> fields) {
        return BreakerSpec.parse("payment", fields).create(clock);
    }

    private static void call(Breaker breaker, Breaker.Outcome outcome) {
        assertThat(breaker.tryEnter()).isTrue();
        breaker.record(outcome, 1_000_000);
    }

    @Test
    void threeConsecutiveTimeoutsOpenItForTenSeconds() {
        Breaker breaker = breaker(Map.of("consecutive-failures", "3", "failures", "timeouts", "open-for", "10s"));
        call(breaker, Breaker.Outcome.TIMEOUT);
        call(breaker, Breaker.Outcome.TIMEOUT);
        call(breaker, Breaker.Outcome.SUCCESS);
        call(breaker, Breaker.Outcome.TIMEOUT);
        call(breaker, Breaker.Outcome.TIMEOUT);
        assertThat(breaker.state()).as("a success in between resets the run").isEqualTo("CLOSED");
        call(breaker, Breaker.Outcome.TIMEOUT);
        assertThat(breaker.state()).isEqualTo("OPEN");
        assertThat(breaker.tryEnter()).isFalse();
        assertThat(breaker.retryAfterSeconds()).isEqualTo(10);
        clock.advance(Duration.ofMillis(9_001));
        assertThat(breaker.tryEnter()).isFalse();
        assertThat(breaker.retryAfterSeconds()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1_000));
        assertThat(breaker.tryEnter()).as("half-open: one probe").isTrue();
        assertThat(breaker.state()).isEqualTo("HALF_OPEN");
        assertThat(breaker.tryEnter()).as("only one probe at a time").isFalse();
        breaker.record(Breaker.Outcome.SUCCESS, 1_000_000);
        assertThat(breaker.state()).isEqualTo("CLOSED");
        assertThat(breaker.stats().notPermitted()).isEqualTo(3);
    }

    @Test
    void statsTellNoCallsYetFromAFailureRateOfTheWindow() {
        Breaker breaker = breaker(Map.of("consecutive-failures", "3", "failures", "timeouts"));
        assertThat(breaker.stats()).isEqualTo(new BreakerStats("payment", "CLOSED", 0, -1, 0));
        call(breaker, Breaker.Outcome.SUCCESS);
        assertThat(breaker.stats()).as("fewer calls than the window's minimum")
                .isEqualTo(new BreakerStats("payment", "CLOSED", 1, -1, 0));
        call(breaker, Breaker.Outcome.SUCCESS);
        call(breaker, Breaker.Outcome.TIMEOUT);
        assertThat(breaker.stats().calls()).isEqualTo(3);
        assertThat(breaker.stats().failureRate()).isCloseTo(100f / 3, within(0.01f));
    }

    @Test
    void aFailedProbeOpensItAgain() {
        Breaker breaker = breaker(Map.of("consecutive-failures", "1", "open-for", "5s"));
        call(breaker, Breaker.Outcome.SERVER_ERROR);
        clock.advance(Duration.ofSeconds(6));
        call(breaker, Breaker.Outcome.EXCEPTION);
        assertThat(breaker.state()).isEqualTo("OPEN");
        assertThat(breaker.retryAfterSeconds()).isEqualTo(5);
    }

    @Test
    void onlyTheConfiguredFailuresCount() {
        Breaker breaker = breaker(Map.of("consecutive-failures", "2", "failures", "timeouts"));
        for (int i = 0; i < 5; i++) {
            call(breaker, Breaker.Outcome.SERVER_ERROR);
            call(breaker, Breaker.Outcome.EXCEPTION);
        }
        assertThat(breaker.state()).isEqualTo("CLOSED");
    }

    @Test
    void slowCallsCountAsFailures() {
        Breaker breaker = breaker(Map.of("consecutive-failures", "2", "slow-call", "2s"));
        assertThat(breaker.tryEnter()).isTrue();
        breaker.record(Breaker.Outcome.SUCCESS, Duration.ofSeconds(3).toNanos());
        assertThat(breaker.tryEnter()).isTrue();
        breaker.record(Breaker.Outcome.SUCCESS, Duration.ofMillis(2_001).toNanos());
        assertThat(breaker.state()).isEqualTo("OPEN");
    }

    @Test
    void failureRateOverAWindowOfCalls() {
        Breaker breaker = breaker(Map.of("failure-rate", "50", "window", "4"));
        call(breaker, Breaker.Outcome.SUCCESS);
        call(breaker, Breaker.Outcome.SERVER_ERROR);
        call(breaker, Breaker.Outcome.SUCCESS);
        assertThat(breaker.state()).as("fewer calls than the window").isEqualTo("CLOSED");
        call(breaker, Breaker.Outcome.SERVER_ERROR);
        assertThat(breaker.state()).as("2 of 4 failed: 50%").isEqualTo("OPEN");
    }

    @Test
    void aCancelledPermissionLeavesNoTrace() {
        Breaker breaker = breaker(Map.of("consecutive-failures", "1"));
        call(breaker, Breaker.Outcome.TIMEOUT);
        clock.advance(Duration.ofSeconds(10));
        assertThat(breaker.tryEnter()).isTrue();
        breaker.cancel();
        assertThat(breaker.tryEnter()).as("the probe slot is free again").isTrue();
    }
}
