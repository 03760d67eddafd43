package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A client spraying distinct keys cannot grow the local store beyond its bound. */
class KeySprayTest {

    @Test
    void aMillionDistinctKeysLeaveAtMostMaxKeysBuckets() {
        SluiceConfig config = SluiceConfig.parse(Map.of(
                "sluice.policy.spray.path", "/*",
                "sluice.policy.spray.limit", "10/minute",
                "sluice.policy.spray.key", "header:X-Api-Key"));
        ManualClock clock = ManualClock.startingNow();
        try (Sluice engine = Sluice.builder(config).clock(clock).build()) {
            LocalBucketStore store = (LocalBucketStore) engine.store();
            for (int i = 0; i < 1_000_000; i++) {
                Verdict verdict = engine.check("GET", "/x", FakeRequest.from("1.2.3.4").header("X-Api-Key", "client-" + i));
                assertThat(verdict.admitted()).isTrue();
            }
            assertThat(store.size()).isLessThanOrEqualTo(config.localMaxKeys()).isGreaterThan(config.localMaxKeys() / 2);
        }
    }

    /**
     * Prints the retained heap per bucket (key string included) for the README; not an assertion of
     * speed or size beyond a sanity bound, since the collector decides what "used" means.
     */
    @Test
    void measuresHeapPerKey() {
        int keys = 100_000;
        ManualClock clock = ManualClock.startingNow();
        Policy policy = Policy.builder("heap").limits(Limits.parse("10/minute"))
                .key(ClientKey.parse("header:X-Api-Key", TrustedProxies.none())).build();
        try (LocalBucketStore store = LocalBucketStore.create(keys, clock)) {
            RateLimiter limiter = new RateLimiter(store);
            long before = usedHeap();
            for (int i = 0; i < keys; i++) {
                limiter.check(List.of(policy), FakeRequest.from("1.2.3.4").header("X-Api-Key", "client-" + i));
            }
            long after = usedHeap();
            assertThat(store.size()).isEqualTo(keys);
            long perKey = (after - before) / keys;
            System.out.printf("Local store heap per key: %d bytes (%d keys, key strings like 'heap|header:x-api-key=client-12345')%n",
                    perKey, keys);
            assertThat(perKey).isBetween(50L, 2_000L);
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
