package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final ManualClock clock = ManualClock.startingNow();
    private final LocalBucketStore store = LocalBucketStore.create(1_000, clock);
    private final RateLimiter limiter = new RateLimiter(store);
    private final RequestInfo alice = FakeRequest.from("1.1.1.1").header("X-Api-Key", "alice");
    private final RequestInfo bob = FakeRequest.from("2.2.2.2").header("X-Api-Key", "bob");

    @AfterEach
    void close() {
        store.close();
    }

    private static Policy policy(String name, String limit, String key) {
        return Policy.builder(name).limits(Limits.parse(limit)).key(ClientKey.parse(key, TrustedProxies.none())).build();
    }

    @Test
    void noPolicyMeansUnlimitedWithoutDecisions() {
        Verdict verdict = limiter.check(List.of(), alice);
        assertThat(verdict.admitted()).isTrue();
        assertThat(verdict.decisions()).isEmpty();
    }

    @Test
    void decisionsCarryRemainingResetAndRetryAfter() {
        Policy policy = policy("p", "5/minute", "global");
        Decision first = limiter.check(List.of(policy), alice).decisions().get(0);
        assertThat(first.admitted()).isTrue();
        assertThat(first.remaining()).isEqualTo(4);
        assertThat(first.resetSeconds()).isEqualTo(12);
        assertThat(first.quota()).isEqualTo(5);
        assertThat(first.windowSeconds()).isEqualTo(60);
        for (int i = 0; i < 4; i++) {
            limiter.check(List.of(policy), alice);
        }
        Verdict refused = limiter.check(List.of(policy), alice);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(12);
        assertThat(refused.violatedPolicies()).containsExactly("p");
        Decision decision = refused.decisions().get(0);
        assertThat(decision.remaining()).isZero();
        assertThat(decision.resetSeconds()).isEqualTo(12);
    }

    @Test
    void retryAfterIsRoundedUpAndAtLeastOneSecond() {
        Policy policy = policy("p", "2/second", "global");
        limiter.check(List.of(policy), alice);
        limiter.check(List.of(policy), alice);
        clock.advance(Duration.ofMillis(499));
        Verdict refused = limiter.check(List.of(policy), alice);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.check(List.of(policy), alice).admitted()).isTrue();
    }

    @Test
    void retryAfterAccountsForTheCost() {
        Policy policy = Policy.builder("p").limits(Limits.parse("10/minute")).cost(4)
                .key(ClientKey.parse("global", TrustedProxies.none())).build();
        limiter.check(List.of(policy), alice);
        limiter.check(List.of(policy), alice);
        Verdict refused = limiter.check(List.of(policy), alice);
        // 2 tokens left, 4 needed: 2 more at 6 s each
        assertThat(refused.retryAfterSeconds()).isEqualTo(12);
    }

    @Test
    void aRefusalByOnePolicyTakesNoTokenFromTheOthers() {
        Policy perClient = policy("per-client", "1/hour", "header:X-Api-Key");
        Policy global = policy("global", "3/hour", "global");
        List<Policy> both = List.of(global, perClient);
        assertThat(limiter.check(both, alice).admitted()).isTrue();
        for (int i = 0; i < 5; i++) {
            Verdict refused = limiter.check(both, alice);
            assertThat(refused.admitted()).isFalse();
            assertThat(refused.violatedPolicies()).containsExactly("per-client");
            assertThat(refused.decisions().get(0).remaining()).isEqualTo(2);
        }
        assertThat(limiter.check(both, bob).admitted()).isTrue();
        assertThat(limiter.check(both, FakeRequest.from("3.3.3.3").header("X-Api-Key", "carol")).admitted()).isTrue();
        Verdict exhausted = limiter.check(both, FakeRequest.from("4.4.4.4").header("X-Api-Key", "dave"));
        assertThat(exhausted.violatedPolicies()).containsExactly("global");
    }

    @Test
    void shadowPolicyCountsAndReportsButNeverRefuses() {
        Policy shadow = Policy.builder("shadow").limits(Limits.parse("2/minute")).enforce(false)
                .key(ClientKey.parse("global", TrustedProxies.none())).build();
        for (int i = 0; i < 2; i++) {
            assertThat(limiter.check(List.of(shadow), alice).decisions().get(0).admitted()).isTrue();
        }
        for (int i = 0; i < 3; i++) {
            Verdict verdict = limiter.check(List.of(shadow), alice);
            assertThat(verdict.admitted()).isTrue();
            assertThat(verdict.retryAfterSeconds()).isZero();
            assertThat(verdict.violatedPolicies()).isEmpty();
            Decision decision = verdict.decisions().get(0);
            assertThat(decision.admitted()).isFalse();
            assertThat(decision.remaining()).isZero();
            assertThat(decision.resetSeconds()).isEqualTo(30);
        }
    }

    @Test
    void burstAllowsSpendingTheCapacityThenTheRateHolds() {
        Policy policy = policy("burst", "10/second burst 50", "global");
        int admitted = 0;
        for (int i = 0; i < 60; i++) {
            admitted += limiter.check(List.of(policy), alice).admitted() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(50);
        clock.advance(Duration.ofMillis(300));
        admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += limiter.check(List.of(policy), alice).admitted() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(3);
    }

    @Test
    void policiesHaveSeparateBucketsForTheSameKey() {
        Policy a = policy("a", "1/hour", "ip");
        Policy b = policy("b", "1/hour", "ip");
        assertThat(limiter.check(List.of(a), alice).admitted()).isTrue();
        assertThat(limiter.check(List.of(b), alice).admitted()).isTrue();
        assertThat(limiter.check(List.of(a), alice).admitted()).isFalse();
    }

    @Test
    void costAboveCapacityIsRejectedWhenThePolicyIsBuilt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                Policy.builder("p").limits(Limits.parse("10/second;3/minute")).cost(5).build())
                .hasMessage("cost 5 exceeds the capacity 3 of limit '10/second;3/minute': no request could ever be admitted");
    }
}
