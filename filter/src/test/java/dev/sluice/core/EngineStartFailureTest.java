package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.bucket4j.ConsumptionProbe;
import org.junit.jupiter.api.Test;

/** An engine that fails to start leaves nothing open behind it. */
class EngineStartFailureTest {

    /** A resolver whose first answer is not a limit, which fails the engine after its store opened. */
    public static final class Broken implements LimitResolver {
        @Override
        public String limit(String policy, Instant now) {
            return "lots";
        }
    }

    private static final class CountingStore implements BucketStore {
        private final BucketStore delegate = LocalBucketStore.create(100, ManualClock.startingNow());
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public ConsumptionProbe tryConsume(String key, Policy policy, long tokens) {
            return delegate.tryConsume(key, policy, tokens);
        }

        @Override
        public void refund(String key, Policy policy, long tokens) {
            delegate.refund(key, policy, tokens);
        }

        @Override
        public void close() {
            closed.incrementAndGet();
            delegate.close();
        }
    }

    @Test
    void aResolverThatFailsAtStartClosesTheStore() {
        SluiceConfig config = SluiceConfig.parse(Map.of(
                "sluice.pool.work.threads", "2",
                "sluice.policy.api.path", "/api/*",
                "sluice.policy.api.limit", "10/second",
                "sluice.policy.api.pool", "work",
                "sluice.policy.api.resolver", Broken.class.getName()));
        CountingStore store = new CountingStore();

        assertThatThrownBy(() -> Sluice.builder(config).clock(ManualClock.startingNow()).store(store).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sluice.policy.api.resolver=" + Broken.class.getName());

        assertThat(store.closed).hasValue(1);
    }
}
