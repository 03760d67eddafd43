package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy.FixedExpiration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucketBuilder;

/**
 * Buckets in this JVM: Bucket4j local buckets in one bounded Caffeine map per policy. A bucket
 * unused for longer than its policy's time to refill fully, and at least {@link #MIN_IDLE}, is
 * forgotten (it would be full again, so nothing is lost; the minimum spares a client that calls
 * every few seconds under a per-second limit a new bucket each time); beyond {@code maxKeys} buckets of one policy the least valuable ones are
 * evicted, so a flood of distinct keys cannot exhaust memory. An evicted bucket comes back full. A
 * bucket met with a policy of a higher {@link Policy#configurationVersion()} than it was built with
 * takes the new configuration and keeps its tokens ({@link TokensInheritanceStrategy#AS_IS}: what
 * it holds stays, capped at the new capacity).
 *
 * <p>Thread-safe; each bucket is lock-free. A decision on a known bucket allocates nothing beyond
 * what Bucket4j allocates.
 */
public final class LocalBucketStore implements BucketStore {

    /** The shortest time a bucket is kept after its last use. */
    public static final Duration MIN_IDLE = Duration.ofMinutes(1);

    private final ConcurrentHashMap<String, PolicyBuckets> byPolicy = new ConcurrentHashMap<>();
    private final long maxKeys;
    private final TimeMeter clock;

    private LocalBucketStore(long maxKeys, TimeMeter clock) {
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /**
     * Creates a store of at most {@code maxKeys} buckets per policy that reads time from {@code clock}.
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

    /** The number of buckets held over all policies, after pending evictions have run. */
    public long size() {
        long size = 0;
        for (PolicyBuckets buckets : byPolicy.values()) {
            buckets.cache.cleanUp();
            size += buckets.cache.estimatedSize();
        }
        return size;
    }

    @Override
    public void close() {
        byPolicy.values().forEach(buckets -> buckets.cache.invalidateAll());
        byPolicy.clear();
    }

    private Bucket bucket(String key, Policy policy) {
        // Hits take no lambda: nothing is allocated on the usual path.
        PolicyBuckets buckets = byPolicy.get(policy.name());
        if (buckets == null) {
            buckets = byPolicy.computeIfAbsent(policy.name(), name -> new PolicyBuckets(policy));
        }
        Entry entry = buckets.cache.getIfPresent(key);
        if (entry == null) {
            entry = buckets.cache.get(key, k -> newEntry(policy));
        }
        if (entry.version < policy.configurationVersion()) {
            entry.reconfigure(policy, buckets);
        }
        return entry.bucket;
    }

    private static Duration idleOf(Policy policy) {
        Duration refill = policy.idleTimeout();
        return refill.compareTo(MIN_IDLE) < 0 ? MIN_IDLE : refill;
    }

    private Entry newEntry(Policy policy) {
        LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(clock);
        for (Bandwidth bandwidth : policy.bucketConfiguration().getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return new Entry(builder.build(), policy.configurationVersion());
    }

    /**
     * One policy's buckets. They share the policy's limits, so one idle timeout serves them all:
     * Caffeine's fixed access expiry, which rides on the order it keeps for eviction anyway.
     */
    private final class PolicyBuckets {
        private final Cache<String, Entry> cache;

        PolicyBuckets(Policy policy) {
            this.cache = Caffeine.newBuilder()
                    .maximumSize(maxKeys)
                    .expireAfterAccess(idleOf(policy))
                    .ticker(clock::currentTimeNanos)
                    // Maintenance on the calling thread: no pool to leak from a web application.
                    .executor(Runnable::run)
                    .build();
        }

        /**
         * Keeps buckets at least as long after their last use as {@code policy} needs. Never shortened: a bucket of
         * the older, slower-refilling limits must not be forgotten before it is full.
         */
        synchronized void keepIdleAtLeast(Policy policy) {
            Duration idle = idleOf(policy);
            FixedExpiration<String, Entry> expiry = cache.policy().expireAfterAccess().orElseThrow();
            if (expiry.getExpiresAfter().compareTo(idle) < 0) {
                expiry.setExpiresAfter(idle);
            }
        }
    }

    /** A bucket and the configuration version it runs; the version only rises. */
    private static final class Entry {
        private final Bucket bucket;
        private volatile long version;

        Entry(Bucket bucket, long version) {
            this.bucket = bucket;
            this.version = version;
        }

        /**
         * Two requests may bring the new version at once, and one holding an older policy may
         * arrive late: replacing under the lock, and only upwards, keeps the newest configuration.
         */
        synchronized void reconfigure(Policy policy, PolicyBuckets owner) {
            if (version < policy.configurationVersion()) {
                owner.keepIdleAtLeast(policy);
                bucket.replaceConfiguration(policy.bucketConfiguration(), TokensInheritanceStrategy.AS_IS);
                version = policy.configurationVersion();
            }
        }
    }
}
