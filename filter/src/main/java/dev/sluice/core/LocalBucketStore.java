package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucketBuilder;

/**
 * Buckets in this JVM: Bucket4j local buckets in a bounded Caffeine map. A bucket unused for
 * longer than its policy's time to refill fully is forgotten (it would be full again, so nothing
 * is lost); beyond {@code maxKeys} buckets the least valuable ones are evicted, so a flood of
 * distinct keys cannot exhaust memory. An evicted bucket comes back full. A bucket met with a policy
 * of a higher {@link Policy#configurationVersion()} than it was built with takes the new
 * configuration and keeps its tokens ({@link TokensInheritanceStrategy#AS_IS}: what it holds stays,
 * capped at the new capacity).
 *
 * <p>Thread-safe; each bucket is lock-free.
 */
public final class LocalBucketStore implements BucketStore {

    private final Cache<String, Entry> buckets;
    private final TimeMeter clock;

    private LocalBucketStore(long maxKeys, TimeMeter clock) {
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfter(new IdleExpiry())
                .ticker(clock::currentTimeNanos)
                // Maintenance on the calling thread: no pool to leak from a web application.
                .executor(Runnable::run)
                .build();
    }

    /**
     * Creates a store of at most {@code maxKeys} buckets that reads time from {@code clock}.
     *
     * @throws IllegalArgumentException if {@code maxKeys} is not positive
     */
    public static LocalBucketStore create(long maxKeys, TimeMeter clock) {
        if (maxKeys <= 0) {
            throw new IllegalArgumentException("maxKeys must be positive, was " + maxKeys);
        }
        return new LocalBucketStore(maxKeys, requireNonNull(clock, "clock"));
    }

    @Override
    public ConsumptionProbe tryConsume(String key, Policy policy, long tokens) {
        return bucket(key, policy).tryConsumeAndReturnRemaining(tokens);
    }

    @Override
    public void refund(String key, Policy policy, long tokens) {
        bucket(key, policy).addTokens(tokens);
    }

    /** The number of buckets held, after pending evictions have run. */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    @Override
    public void close() {
        buckets.invalidateAll();
    }

    private Bucket bucket(String key, Policy policy) {
        // A hit needs no mapping function: no lambda is allocated on the usual path.
        Entry entry = buckets.getIfPresent(key);
        if (entry == null) {
            entry = buckets.get(key, k -> newEntry(policy));
        }
        if (entry.version < policy.configurationVersion()) {
            entry.reconfigure(policy);
        }
        return entry.bucket;
    }

    private Entry newEntry(Policy policy) {
        LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(clock);
        for (Bandwidth bandwidth : policy.bucketConfiguration().getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return new Entry(builder.build(), policy);
    }

    /** A bucket and the configuration version it runs; the version only rises. */
    private static final class Entry {
        private final Bucket bucket;
        private volatile long version;
        private volatile long idleNanos;

        Entry(Bucket bucket, Policy policy) {
            this.bucket = bucket;
            this.version = policy.configurationVersion();
            this.idleNanos = policy.idleTimeout().toNanos();
        }

        /**
         * Two requests may bring the new version at once, and one holding an older policy may
         * arrive late: replacing under the lock, and only upwards, keeps the newest configuration.
         */
        synchronized void reconfigure(Policy policy) {
            if (version < policy.configurationVersion()) {
                bucket.replaceConfiguration(policy.bucketConfiguration(), TokensInheritanceStrategy.AS_IS);
                idleNanos = policy.idleTimeout().toNanos();
                version = policy.configurationVersion();
            }
        }
    }

    private static final class IdleExpiry implements Expiry<String, Entry> {
        @Override
        public long expireAfterCreate(String key, Entry entry, long now) {
            return entry.idleNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long now, long remaining) {
            return entry.idleNanos;
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long now, long remaining) {
            return entry.idleNanos;
        }
    }
}
