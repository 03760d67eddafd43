package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.bucket4j.ConsumptionProbe;

/**
 * The behaviour every {@link BucketStore} must have. Each implementation's test extends this class
 * and supplies a store that reads time from the given manual clock.
 */
public abstract class BucketStoreContract {

    protected ManualClock clock;
    protected BucketStore store;

    /** Creates the store under test; it must read time from {@code clock}. */
    protected abstract BucketStore createStore(ManualClock clock);

    @BeforeEach
    void openStore() {
        clock = ManualClock.startingNow();
        store = createStore(clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static Policy policy(String name, String limit) {
        return Policy.builder(name).limits(Limits.parse(limit)).key(ClientKey.parse("global", TrustedProxies.none())).build();
    }

    @Test
    void admitsExactlyTheCapacityThenRefuses() {
        Policy policy = policy("contract-capacity", "5/minute");
        for (int i = 0; i < 5; i++) {
            ConsumptionProbe probe = store.tryConsume("k", policy, 1);
            assertThat(probe.isConsumed()).isTrue();
            assertThat(probe.getRemainingTokens()).isEqualTo(4 - i);
        }
        ConsumptionProbe refused = store.tryConsume("k", policy, 1);
        assertThat(refused.isConsumed()).isFalse();
        assertThat(refused.getNanosToWaitForRefill()).isEqualTo(Duration.ofSeconds(12).toNanos());
    }

    @Test
    void refillsAsTheClockAdvances() {
        Policy policy = policy("contract-refill", "6/minute");
        for (int i = 0; i < 6; i++) {
            assertThat(store.tryConsume("k", policy, 1).isConsumed()).isTrue();
        }
        clock.advance(Duration.ofSeconds(9));
        assertThat(store.tryConsume("k", policy, 1).isConsumed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.tryConsume("k", policy, 1).isConsumed()).isTrue();
        assertThat(store.tryConsume("k", policy, 1).isConsumed()).isFalse();
    }

    @Test
    void fixedWindowRefillsAllAtOnceAtTheWindowEdge() {
        Policy policy = policy("contract-fixed", "3/minute fixed");
        for (int i = 0; i < 3; i++) {
            assertThat(store.tryConsume("k", policy, 1).isConsumed()).isTrue();
        }
        clock.advance(Duration.ofSeconds(59));
        assertThat(store.tryConsume("k", policy, 1).isConsumed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            assertThat(store.tryConsume("k", policy, 1).isConsumed()).isTrue();
        }
    }

    @Test
    void keysHaveSeparateBuckets() {
        Policy policy = policy("contract-keys", "1/hour");
        assertThat(store.tryConsume("a", policy, 1).isConsumed()).isTrue();
        assertThat(store.tryConsume("a", policy, 1).isConsumed()).isFalse();
        assertThat(store.tryConsume("b", policy, 1).isConsumed()).isTrue();
    }

    @Test
    void costTakesSeveralTokens() {
        Policy policy = policy("contract-cost", "10/minute");
        assertThat(store.tryConsume("k", policy, 4).getRemainingTokens()).isEqualTo(6);
        assertThat(store.tryConsume("k", policy, 4).getRemainingTokens()).isEqualTo(2);
        ConsumptionProbe refused = store.tryConsume("k", policy, 4);
        assertThat(refused.isConsumed()).isFalse();
        assertThat(refused.getRemainingTokens()).isEqualTo(2);
    }

    @Test
    void refundRestoresTokensButNeverAboveCapacity() {
        Policy policy = policy("contract-refund", "2/hour");
        assertThat(store.tryConsume("k", policy, 1).isConsumed()).isTrue();
        store.refund("k", policy, 1);
        store.refund("k", policy, 1);
        assertThat(store.tryConsume("k", policy, 1).getRemainingTokens()).isEqualTo(1);
        assertThat(store.tryConsume("k", policy, 1).isConsumed()).isTrue();
        assertThat(store.tryConsume("k", policy, 1).isConsumed()).isFalse();
    }

    @Test
    void severalLimitsMustAllAdmit() {
        Policy policy = policy("contract-multi", "3/second;5/minute");
        int admitted = 0;
        for (int second = 0; second < 10; second++) {
            for (int i = 0; i < 3; i++) {
                admitted += store.tryConsume("k", policy, 1).isConsumed() ? 1 : 0;
            }
            clock.advance(Duration.ofSeconds(1));
        }
        // 5 per minute bounds the total; 10 s refill one more token of the minute limit (5/60 * 10 < 1)
        assertThat(admitted).isEqualTo(5);
    }

    @Test
    void equalKeysOfTwoPoliciesAreTwoBuckets() {
        Policy first = policy("contract-first", "1/hour");
        Policy second = policy("contract-second", "1/hour");
        assertThat(store.tryConsume("k", first, 1).isConsumed()).isTrue();
        assertThat(store.tryConsume("k", second, 1).isConsumed()).isTrue();
        assertThat(store.tryConsume("k", first, 1).isConsumed()).isFalse();
        assertThat(store.tryConsume("k", second, 1).isConsumed()).isFalse();
    }

    @Test
    void aHigherConfigurationVersionReconfiguresALiveBucketKeepingItsTokens() {
        Policy five = policy("contract-reconfigure", "5/hour");
        for (int i = 0; i < 3; i++) {
            assertThat(store.tryConsume("k", five, 1).isConsumed()).isTrue();
        }
        Policy three = five.withLimits(Limits.parse("3/hour"), 1);
        // 2 tokens left, kept as they are under the new capacity of 3 (a reset would give 3)
        assertThat(store.tryConsume("k", three, 1).getRemainingTokens()).isEqualTo(1);
        assertThat(store.tryConsume("k", three, 1).isConsumed()).isTrue();
        assertThat(store.tryConsume("k", three, 1).isConsumed()).isFalse();
        // a request still holding the older policy does not take the bucket back to 5
        assertThat(store.tryConsume("k", five, 1).isConsumed()).isFalse();
        assertThat(store.tryConsume("k", three, 1).getNanosToWaitForRefill()).isEqualTo(Duration.ofMinutes(20).toNanos());
    }

    @Test
    void concurrentTakesAdmitExactlyTheCapacity() throws Exception {
        Policy policy = policy("contract-concurrent", "100/hour");
        int threads = 16;
        int attemptsPerThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Integer> task = () -> {
                    start.await();
                    int admitted = 0;
                    for (int i = 0; i < attemptsPerThread; i++) {
                        admitted += store.tryConsume("shared", policy, 1).isConsumed() ? 1 : 0;
                    }
                    return admitted;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }
}
