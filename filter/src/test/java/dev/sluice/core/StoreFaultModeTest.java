package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.bucket4j.ConsumptionProbe;

/**
 * The engine's fault modes over a store that can be switched off, driven by the manual clock: what
 * each mode answers, when the store is probed again, and the one log line per change.
 */
class StoreFaultModeTest {

    private final ManualClock clock = ManualClock.startingNow();
    private final SwitchableStore store = new SwitchableStore(clock);
    private final List<LogRecord> log = new ArrayList<>();
    private final Logger faultLogger = Logger.getLogger(StoreFaults.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (log) {
                log.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Sluice engine;

    @BeforeEach
    void captureLog() {
        faultLogger.addHandler(capture);
    }

    @AfterEach
    void closeEngine() {
        faultLogger.removeHandler(capture);
        if (engine != null) {
            engine.close();
        }
    }

    private Sluice engine(String faultMode, String... policies) {
        Map<String, String> entries = new HashMap<>();
        entries.put("sluice.store", "teststore");
        entries.put("sluice.teststore.label", "switchable");
        entries.put("sluice.teststore.fault-mode", faultMode);
        for (int i = 0; i < policies.length; i += 2) {
            entries.put(policies[i], policies[i + 1]);
        }
        engine = Sluice.builder(SluiceConfig.parse(entries)).clock(clock).store(store).build();
        return engine;
    }

    private Sluice engine(String faultMode) {
        return engine(faultMode, "sluice.policy.api.path", "/api/*", "sluice.policy.api.limit", "3/minute",
                "sluice.policy.api.key", "global");
    }

    private Verdict request() {
        return engine.check("GET", "/api/orders", FakeRequest.from("192.0.2.1"));
    }

    @Test
    void failOpenAdmitsAndCountsEveryRequestWhileTheStoreIsAway() {
        engine("fail-open");
        store.down = true;
        for (int i = 0; i < 10; i++) {
            Verdict verdict = request();
            assertThat(verdict.admitted()).isTrue();
            assertThat(verdict.decisions()).isEmpty();
        }
        assertThat(engine.failOpenAdmissions()).isEqualTo(10);
        assertThat(engine.storeAvailable()).isFalse();
    }

    @Test
    void failClosedRefusesWith503RetryAfterAndAProblem() {
        engine("fail-closed");
        store.down = true;
        Verdict verdict = request();
        assertThat(verdict.admitted()).isFalse();
        assertThat(verdict.storeUnavailable()).isTrue();
        assertThat(verdict.uncheckedPolicies()).containsExactly("api");
        assertThat(RateLimitResponse.status(verdict)).isEqualTo(503);
        Map<String, String> headers = new LinkedHashMap<>();
        RateLimitResponse.headers(verdict, HeaderStyle.BOTH, headers::put);
        assertThat(headers).containsExactly(Map.entry("Retry-After", "1"));
        assertThat(RateLimitResponse.problemBody(verdict)).isEqualTo("{"
                + "\"type\":\"https://iana.org/assignments/http-problem-types#temporary-reduced-capacity\","
                + "\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"Rate limits cannot be checked while the bucket store is unavailable; retry after 1 second.\","
                + "\"unchecked-policies\":[\"api\"]}");
        assertThat(engine.failOpenAdmissions()).isZero();
    }

    @Test
    void failClosedLetsARequestThatOnlyShadowPoliciesMatchThrough() {
        engine("fail-closed", "sluice.policy.trial.path", "/api/*", "sluice.policy.trial.limit", "1/minute",
                "sluice.policy.trial.enforce", "false");
        store.down = true;
        assertThat(request().admitted()).isTrue();
    }

    @Test
    void localEnforcesEachPolicyOnThisInstancesOwnBuckets() {
        engine("local");
        assertThat(request().admitted()).isTrue();
        assertThat(request().admitted()).isTrue();
        store.down = true;
        // The local bucket starts full: this instance alone admits up to the limit.
        for (int i = 0; i < 3; i++) {
            assertThat(request().admitted()).isTrue();
        }
        Verdict refused = request();
        assertThat(refused.admitted()).isFalse();
        assertThat(RateLimitResponse.status(refused)).isEqualTo(429);
        assertThat(refused.retryAfterSeconds()).isEqualTo(20);
    }

    @Test
    void whileAwayTheStoreIsProbedOncePerSecondAndRecoveryIsAutomatic() {
        engine("fail-closed");
        store.down = true;
        request();
        int callsAfterFailure = store.calls.get();
        for (int i = 0; i < 50; i++) {
            assertThat(request().storeUnavailable()).isTrue();
        }
        assertThat(store.calls.get()).isEqualTo(callsAfterFailure);

        clock.advance(Duration.ofSeconds(1));
        assertThat(request().storeUnavailable()).isTrue();
        assertThat(request().storeUnavailable()).isTrue();
        assertThat(store.calls.get()).isEqualTo(callsAfterFailure + 1);

        store.down = false;
        assertThat(request().storeUnavailable()).isTrue();
        clock.advance(Duration.ofMillis(999));
        assertThat(request().storeUnavailable()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(request().admitted()).isTrue();
        assertThat(engine.storeAvailable()).isTrue();
        assertThat(request().admitted()).isTrue();
        assertThat(store.calls.get()).isEqualTo(callsAfterFailure + 3);
    }

    @Test
    void oneLogLinePerChangeNotOnePerRequest() {
        engine("fail-open");
        request();
        store.down = true;
        for (int i = 0; i < 100; i++) {
            request();
            clock.advance(Duration.ofMillis(100));
        }
        store.down = false;
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            request();
        }
        assertThat(log).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO);
        assertThat(log.get(0).getMessage()).isEqualTo("Sluice bucket store is unavailable (switched off); fault mode "
                + "fail-open: admitting requests unchecked until it is back, probing it every 1 s");
        assertThat(log.get(1).getMessage()).isEqualTo("Sluice bucket store is available again after 11 s; "
                + "100 requests were admitted unchecked meanwhile; limits are enforced on the store again");
    }

    @Test
    void aRefusalStandsWhenTheRefundThatFollowsItFails() {
        engine("fail-open", "sluice.policy.api.path", "/api/*", "sluice.policy.api.limit", "100/minute",
                "sluice.policy.api.key", "global", "sluice.policy.orders.path", "/api/orders",
                "sluice.policy.orders.limit", "1/minute", "sluice.policy.orders.key", "global");
        assertThat(request().admitted()).isTrue();
        store.refundsFail = true;
        Verdict verdict = request();
        assertThat(verdict.admitted()).isFalse();
        assertThat(verdict.violatedPolicies()).containsExactly("orders");
        assertThat(engine.storeAvailable()).isFalse();
    }

    @Test
    void aLateAnswerDoesNotEndOrStartAnOutage() {
        StoreFaults faults = StoreFaults.of(FaultMode.FAIL_OPEN, clock, 10);
        StoreUnavailableException failure = new StoreUnavailableException("timed out", null);
        long beforeOutage = faults.attempt();
        long alsoBeforeOutage = faults.attempt();
        faults.failed(beforeOutage, failure);
        faults.succeeded(alsoBeforeOutage);
        assertThat(faults.available()).isFalse();

        clock.advance(Duration.ofSeconds(1));
        long probe = faults.attempt();
        assertThat(probe).isNotEqualTo(StoreFaults.SKIP);
        assertThat(faults.attempt()).isEqualTo(StoreFaults.SKIP);
        faults.succeeded(probe);
        assertThat(faults.available()).isTrue();
        faults.failed(alsoBeforeOutage, failure);
        faults.failed(probe, failure);
        assertThat(faults.available()).isTrue();
    }

    /** A local store that can be switched off, as a grid goes away. */
    private static final class SwitchableStore implements BucketStore {
        private final LocalBucketStore buckets;
        private final AtomicInteger calls = new AtomicInteger();
        private volatile boolean down;
        private volatile boolean refundsFail;

        SwitchableStore(ManualClock clock) {
            this.buckets = LocalBucketStore.create(100, clock);
        }

        @Override
        public ConsumptionProbe tryConsume(String key, Policy policy, long tokens) {
            calls.incrementAndGet();
            if (down) {
                throw new StoreUnavailableException("switched off", null);
            }
            return buckets.tryConsume(key, policy, tokens);
        }

        @Override
        public void refund(String key, Policy policy, long tokens) {
            if (down || refundsFail) {
                throw new StoreUnavailableException("switched off", null);
            }
            buckets.refund(key, policy, tokens);
        }

        @Override
        public void close() {
            buckets.close();
        }
    }
}
