package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Pools, breakers and the policies that name them: the design notes' case in a few lines, and clear errors. */
class IsolationConfigTest {

    private static final Map<String, String> PAYMENT = Map.of(
            "sluice.pool.payment.threads", "8",
            "sluice.pool.payment.queue", "16",
            "sluice.pool.payment.timeout", "2s",
            "sluice.breaker.payment.consecutive-failures", "3",
            "sluice.breaker.payment.failures", "timeouts",
            "sluice.breaker.payment.open-for", "10s",
            "sluice.policy.payment.path", "/api/payment/*",
            "sluice.policy.payment.pool", "payment",
            "sluice.policy.payment.breaker", "payment");

    private static Map<String, String> with(String key, String value) {
        Map<String, String> entries = new HashMap<>(PAYMENT);
        entries.put(key, value);
        return entries;
    }

    @Test
    void theDesignNotesCaseRoutesPaymentsToTheirPoolAndBreaker() {
        try (Sluice engine = Sluice.builder(SluiceConfig.parse(PAYMENT)).build()) {
            Route route = engine.route("POST", "/api/payment/42");
            assertThat(route.policies()).isEmpty();
            assertThat(route.pool().name()).isEqualTo("payment");
            assertThat(route.pool().mode()).isEqualTo(PoolMode.THREADS);
            assertThat(route.pool().timeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(route.breakers()).extracting(Breaker::name).containsExactly("payment");
            assertThat(engine.route("GET", "/api/logs").isEmpty()).isTrue();
            assertThat(engine.poolStats()).containsExactly(new PoolStats("payment", 0, 0, 0, 0, 0));
            assertThat(engine.breakerStats()).extracting(BreakerStats::state).containsExactly("CLOSED");
        }
    }

    @Test
    void closingTheEngineStopsThePoolThreads() throws Exception {
        Sluice engine = Sluice.builder(SluiceConfig.parse(PAYMENT)).build();
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        engine.pools().get("payment").execute(ran::countDown);
        assertThat(ran.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        engine.close();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.isAlive() && (t.getName().startsWith("sluice-payment-") || t.getName().equals("sluice-timeouts")));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            sluice.policy.payment.pool        | paymnet  | sluice.policy.payment.pool=paymnet: unknown pool; configured pools: payment
            sluice.policy.payment.breaker     | pay      | sluice.policy.payment.breaker=pay: unknown breaker; configured breakers: payment
            sluice.pool.payment.threads       | 0        | sluice.pool.payment.threads=0: expected a positive whole number
            sluice.pool.payment.threads       | 20000    | sluice.pool.payment.threads=20000: expected at most 10000
            sluice.pool.payment.queue         | -1       | sluice.pool.payment.queue=-1: expected a whole number from 0 to 1000000
            sluice.pool.payment.timeout       | 2 fortnights | sluice.pool.payment.timeout=2 fortnights: invalid duration '2 fortnights': expected a whole number and a unit (ms, s, m, h, d), such as 250ms or 10s
            sluice.pool.payment.timeout       | 0s       | sluice.pool.payment.timeout=0s: expected a duration above zero
            sluice.pool.payment.mode          | fibers   | sluice.pool.payment.mode=fibers: expected threads or permits
            sluice.pool.payment.size          | 8        | sluice.pool.payment.size=8: unknown key; expected sluice.pool.<name>.<field> with a field among mode, queue, threads, timeout
            sluice.breaker.payment.open-for   | never    | sluice.breaker.payment.open-for=never: invalid duration 'never': expected a whole number and a unit (ms, s, m, h, d), such as 250ms or 10s
            sluice.breaker.payment.failures   | 4xx      | sluice.breaker.payment.failures=4xx: expected a comma-separated list of 5xx, exceptions, timeouts; found '4xx'
            sluice.breaker.payment.window     | 10       | sluice.breaker.payment.window=10: applies to failure-rate breakers; consecutive-failures counts the last calls only
            sluice.breaker.payment.failure-rate | 50     | breaker 'payment' needs exactly one of sluice.breaker.payment.consecutive-failures (for example 3) and sluice.breaker.payment.failure-rate (a percentage, for example 50)
            sluice.policy.payment.key         | header:X-Api-Key | sluice.policy.payment.key=header:X-Api-Key: belongs to a rate limit, and policy 'payment' has none: set sluice.policy.payment.limit
            """)
    void badIsolationEntriesNameTheKeyAndValue(String key, String value, String message) {
        assertThatThrownBy(() -> SluiceConfig.parse(with(key, value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(message);
    }

    @Test
    void aPoolMustHaveASize() {
        Map<String, String> entries = new HashMap<>(PAYMENT);
        entries.remove("sluice.pool.payment.threads");
        assertThatThrownBy(() -> SluiceConfig.parse(entries))
                .hasMessage("pool 'payment' has no size: set sluice.pool.payment.threads, for example 8");
    }

    @Test
    void twoPoolsMustNeverMatchOneRequest() {
        Map<String, String> entries = new HashMap<>(PAYMENT);
        entries.put("sluice.pool.shared.threads", "2");
        entries.put("sluice.policy.all.path", "/api/*");
        entries.put("sluice.policy.all.pool", "shared");
        assertThatThrownBy(() -> SluiceConfig.parse(entries))
                .hasMessage("policies 'all' (pool shared) and 'payment' (pool payment) can match the same request,"
                        + " which can run on only one pool; make their paths or methods disjoint");
        entries.put("sluice.policy.all.methods", "GET");
        entries.put("sluice.policy.payment.methods", "POST");
        assertThat(SluiceConfig.parse(entries).rules()).hasSize(2);
    }

    @Test
    void threadPoolRulesOutsideTheIsolatingServletsAreReported() {
        try (Sluice engine = Sluice.builder(SluiceConfig.parse(PAYMENT)).build()) {
            assertThat(engine.threadPoolRulesOutside(java.util.List.of("/api/*"))).isEmpty();
            assertThat(engine.threadPoolRulesOutside(java.util.List.of("/api/payment/*"))).isEmpty();
            assertThat(engine.threadPoolRulesOutside(java.util.List.of("/api/payment"))).containsExactly(
                    "policy 'payment' (pool payment, path /api/payment/*)");
            assertThat(engine.threadPoolRulesOutside(java.util.List.of())).hasSize(1);
        }
    }
}
