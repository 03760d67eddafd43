package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

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
}
