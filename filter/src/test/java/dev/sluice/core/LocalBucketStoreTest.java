package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LocalBucketStoreTest extends BucketStoreContract {

    @Override
    protected BucketStore createStore(ManualClock clock) {
        return LocalBucketStore.create(1_000, clock);
    }

    private static Policy perIp(String limit) {
        return Policy.builder("local").limits(Limits.parse(limit)).build();
    }

    @Test
    void forgetsABucketOnceIdleLongerThanItsTimeToRefill() {
        LocalBucketStore local = (LocalBucketStore) store;
        Policy policy = perIp("10/minute");
        local.tryConsume("a", policy, 1);
        clock.advance(Duration.ofSeconds(59));
        assertThat(local.size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(local.size()).isZero();
    }

    @Test
    void aBucketThatRefillsWithinSecondsIsKeptAMinute() {
        LocalBucketStore local = (LocalBucketStore) store;
        local.tryConsume("a", perIp("10/second"), 1);
        clock.advance(LocalBucketStore.MIN_IDLE.minusSeconds(1));
        assertThat(local.size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(local.size()).isZero();
    }

    @Test
    void aBucketInUseIsKept() {
        LocalBucketStore local = (LocalBucketStore) store;
        Policy policy = perIp("10/minute");
        for (int i = 0; i < 5; i++) {
            local.tryConsume("a", policy, 1);
            clock.advance(Duration.ofSeconds(50));
        }
        assertThat(local.size()).isEqualTo(1);
    }

    @Test
    void neverHoldsMoreThanMaxKeys() {
        try (LocalBucketStore small = LocalBucketStore.create(100, clock)) {
            Policy policy = perIp("10/hour");
            for (int i = 0; i < 10_000; i++) {
                small.tryConsume("key-" + i, policy, 1);
            }
            assertThat(small.size()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void theBoundHoldsForEachPolicy() {
        try (LocalBucketStore small = LocalBucketStore.create(100, clock)) {
            Policy first = Policy.builder("first").limits(Limits.parse("10/hour")).build();
            Policy second = Policy.builder("second").limits(Limits.parse("10/hour")).build();
            for (int i = 0; i < 1_000; i++) {
                small.tryConsume("key-" + i, first, 1);
                small.tryConsume("key-" + i, second, 1);
            }
            assertThat(small.size()).isGreaterThan(100).isLessThanOrEqualTo(200);
        }
    }

    @Test
    void slowerLimitsKeepBucketsUntilTheyAreFullUnderEither() {
        LocalBucketStore local = (LocalBucketStore) store;
        Policy minute = perIp("10/minute");
        local.tryConsume("a", minute, 1);
        Policy hour = minute.withLimits(Limits.parse("10/hour"), 1);
        local.tryConsume("a", hour, 1);
        clock.advance(Duration.ofMinutes(59));
        assertThat(local.size()).isEqualTo(1);
        Policy minuteAgain = minute.withLimits(Limits.parse("10/minute"), 2);
        local.tryConsume("a", minuteAgain, 1);
        clock.advance(Duration.ofMinutes(59));
        assertThat(local.size()).as("a bucket of the hourly limit may still be refilling").isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(local.size()).isZero();
    }

    @Test
    void rejectsANonPositiveBound() {
        assertThatThrownBy(() -> LocalBucketStore.create(0, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxKeys must be positive, was 0");
    }
}
