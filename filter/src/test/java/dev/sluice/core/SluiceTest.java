package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Declaring annotation policies, overriding them by configuration, and live limits. */
class SluiceTest {

    private final ManualClock clock = ManualClock.startingNow();

    private Sluice engine(Map<String, String> entries) {
        return Sluice.builder(SluiceConfig.parse(entries)).clock(clock).build();
    }

    private static Policy declared(String name, String limit) {
        return Policy.builder(name).limits(Limits.parse(limit)).key(ClientKey.parse("global", TrustedProxies.none())).build();
    }

    private static final RequestInfo REQUEST = FakeRequest.from("192.0.2.1");

    private static int admitted(Sluice engine, LivePolicy policy, int requests) {
        int admitted = 0;
        for (int i = 0; i < requests; i++) {
            admitted += engine.check(List.of(policy), REQUEST).admitted() ? 1 : 0;
        }
        return admitted;
    }

    @Test
    void anOverrideReplacesTheFieldsItSetsAndIsClaimed() {
        try (Sluice engine = engine(Map.of("sluice.policy.orders.limit", "2/minute", "sluice.policy.other.limit", "1/minute"))) {
            assertThat(engine.unclaimedOverrides()).containsExactly("orders", "other");
            LivePolicy live = engine.declare(declared("orders", "100/minute"), null, "Orders#get");
            assertThat(live.current().limits().expression()).isEqualTo("2/minute");
            assertThat(live.current().key().toString()).isEqualTo("global");
            assertThat(engine.unclaimedOverrides()).containsExactly("other");
            assertThat(admitted(engine, live, 5)).isEqualTo(2);
        }
    }

    @Test
    void enabledFalseSwitchesADeclaredPolicyOffAndStillClaimsIt() {
        try (Sluice engine = engine(Map.of("sluice.policy.orders.enabled", "false"))) {
            assertThat(engine.declare(declared("orders", "1/minute"), null, "Orders#get")).isNull();
            assertThat(engine.unclaimedOverrides()).isEmpty();
        }
    }

    @Test
    void oneNameIsOnePolicy() {
        try (Sluice engine = engine(Map.of())) {
            LivePolicy first = engine.declare(declared("orders", "1/minute"), null, "A#get");
            assertThat(engine.declare(declared("orders", "1 per minute"), null, "B#get")).isSameAs(first);
            assertThatThrownBy(() -> engine.declare(declared("orders", "2/minute"), null, "C#get"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("policy 'orders' is declared twice with different values")
                    .hasMessageContaining("at A#get").hasMessageContaining("at C#get");
        }
    }

    @Test
    void aDeclaredNameMayNotBeAFilterPolicy() {
        try (Sluice engine = engine(Map.of("sluice.policy.api.path", "/api/*", "sluice.policy.api.limit", "1/second"))) {
            assertThatThrownBy(() -> engine.declare(declared("api", "1/minute"), null, "Api#get"))
                    .hasMessageStartingWith("policy 'api' declared at Api#get is also configured with a path");
        }
    }

    /** 5/day until the boundary, then 3/day. */
    static final class Boundary implements LimitResolver {
        final Instant boundary;
        final AtomicInteger calls = new AtomicInteger();

        Boundary(Instant boundary) {
            this.boundary = boundary;
        }

        @Override
        public String limit(String policy, Instant now) {
            calls.incrementAndGet();
            return now.isBefore(boundary) ? null : "3/day";
        }
    }

    @Test
    void aResolverChangesLiveBucketsWithoutResettingThem() {
        Boundary resolver = new Boundary(Instant.ofEpochSecond(0, clock.currentTimeNanos()).plus(Duration.ofMinutes(10)));
        try (Sluice engine = engine(Map.of())) {
            LivePolicy live = engine.declare(declared("peak", "5/day"), resolver, "Peak#get");
            assertThat(admitted(engine, live, 4)).isEqualTo(4);
            clock.advance(Duration.ofSeconds(59));
            assertThat(live.current().limits().expression()).isEqualTo("5/day");
            assertThat(resolver.calls.get()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(10));
            // 3/day now; the bucket keeps its 1 token instead of starting again with 3
            assertThat(admitted(engine, live, 3)).isEqualTo(1);
            assertThat(live.current().limits().expression()).isEqualTo("3/day");
            assertThat(live.current().configurationVersion()).isPositive();
            assertThat(resolver.calls.get()).isEqualTo(2);
        }
    }

    @Test
    void aResolverFailingLaterKeepsTheLimitsInForce() {
        AtomicInteger calls = new AtomicInteger();
        LimitResolver flaky = (policy, now) -> calls.incrementAndGet() == 1 ? "2/minute" : "not a limit";
        try (Sluice engine = engine(Map.of())) {
            LivePolicy live = engine.declare(declared("flaky", "9/minute"), flaky, "Flaky#get");
            clock.advance(Duration.ofMinutes(2));
            assertThat(live.current().limits().expression()).isEqualTo("2/minute");
            assertThat(calls.get()).isEqualTo(2);
        }
    }

    @Test
    void aResolverFailingAtDeploymentStopsIt() {
        try (Sluice engine = engine(Map.of())) {
            assertThatThrownBy(() -> engine.declare(declared("bad", "1/minute"), (policy, now) -> "1/fortnight", "Bad#get"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("policy 'bad' declared at Bad#get: invalid limit '1/fortnight'");
        }
    }

    @Test
    void filterPoliciesTakeResolversFromConfiguration() {
        try (Sluice engine = engine(Map.of("sluice.policy.api.path", "/api/*", "sluice.policy.api.limit", "1/second",
                "sluice.policy.api.resolver", ConfigOverridesTest.Doubling.class.getName()))) {
            Verdict verdict = engine.check("GET", "/api/x", REQUEST);
            assertThat(verdict.decisions().get(0).quota()).isEqualTo(20);
        }
    }
}
