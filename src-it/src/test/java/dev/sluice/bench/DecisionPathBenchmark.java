package dev.sluice.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.sluice.core.ClientKey;
import dev.sluice.core.HeaderStyle;
import dev.sluice.core.Limits;
import dev.sluice.core.LocalBucketStore;
import dev.sluice.core.ManualClock;
import dev.sluice.core.Policy;
import dev.sluice.core.RateLimitResponse;
import dev.sluice.core.RateLimiter;
import dev.sluice.core.TrustedProxies;
import dev.sluice.core.Verdict;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * The cost of one rate-limit decision on the local store, against what a user would otherwise
 * write. 10,000 API keys take turns; a manual clock moves 1 us per operation, so each key sees
 * 100 requests per simulated second against a limit of 50 per second: half the decisions admit,
 * half refuse, the same in every run. Resilience4j's limiter reads the system clock, so its mix
 * differs; it is here for its cost per call.
 *
 * <p>Run: {@code src-it/bench.sh jmh} (or see that script for the raw JMH command), with
 * {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionPathBenchmark {

    private static final int KEYS = 10_000;
    private static final Duration STEP = Duration.ofNanos(1_000);

    private final String[] keys = new String[KEYS];
    private ManualClock clock;
    private RateLimiter sluice;
    private LocalBucketStore store;
    private List<Policy> policies;
    private KeyedRequest request;
    private Bucket single;
    private Cache<String, Bucket> floor;
    private Cache<String, Bucket> expiring;
    private Cache<String, Bucket> accessExpiring;
    private Cache<String, io.github.resilience4j.ratelimiter.RateLimiter> resilience;
    private RateLimiterConfig resilienceConfig;
    private int next;

    @Setup
    public void setUp() {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "client-" + i;
        }
        clock = ManualClock.startingNow();
        store = LocalBucketStore.create(100_000, clock);
        sluice = new RateLimiter(store);
        policies = List.of(Policy.builder("bench").limits(Limits.parse("50/second"))
                .key(ClientKey.parse("header:X-Api-Key", TrustedProxies.none())).build());
        request = new KeyedRequest();
        Bandwidth limit = Bandwidth.builder().capacity(50).refillGreedy(50, Duration.ofSeconds(1)).build();
        single = Bucket.builder().addLimit(limit).withCustomTimePrecision(clock).build();
        floor = Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run).build();
        expiring = Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run).ticker(clock::currentTimeNanos)
                .expireAfter(Expiry.accessing((String key, Bucket bucket) -> Duration.ofSeconds(1))).build();
        accessExpiring = Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run).ticker(clock::currentTimeNanos)
                .expireAfterAccess(Duration.ofSeconds(1)).build();
        resilienceConfig = RateLimiterConfig.custom().limitForPeriod(50).limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO).build();
        resilience = Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run).build();
    }

    @TearDown
    public void tearDown() {
        store.close();
    }

    private int nextKey() {
        clock.advance(STEP);
        int key = next;
        next = key + 1 == KEYS ? 0 : key + 1;
        return key;
    }

    /** Sluice's whole decision: key resolution, the bucket, the verdict. */
    @Benchmark
    public Verdict sluiceDecision() {
        request.apiKey(keys[nextKey()]);
        return sluice.check(policies, request);
    }

    /** Sluice's decision and the IETF headers of the response. */
    @Benchmark
    public int sluiceDecisionAndHeaders() {
        request.apiKey(keys[nextKey()]);
        Verdict verdict = sluice.check(policies, request);
        int[] length = new int[1];
        RateLimitResponse.headers(verdict, HeaderStyle.IETF, (name, value) -> length[0] += value.length());
        return length[0];
    }

    /** The floor: Bucket4j through a bounded map over the same keys. */
    @Benchmark
    public ConsumptionProbe bucket4jThroughABoundedMap() {
        String key = keys[nextKey()];
        return floor.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(50).refillGreedy(50, Duration.ofSeconds(1)).build())
                .withCustomTimePrecision(clock).build()).tryConsumeAndReturnRemaining(1);
    }

    /** The floor with a per-entry idle expiry (Caffeine's variable expiry), which Sluice used before. */
    @Benchmark
    public ConsumptionProbe bucket4jThroughAnExpiringMap() {
        return takeWithoutLambda(expiring);
    }

    /** The floor with one fixed idle expiry for every entry, as Sluice keeps each policy's buckets. */
    @Benchmark
    public ConsumptionProbe bucket4jThroughAnAccessExpiringMap() {
        return takeWithoutLambda(accessExpiring);
    }

    /** A take through the map that allocates a mapping function only for a missing key, as Sluice does. */
    private ConsumptionProbe takeWithoutLambda(Cache<String, Bucket> buckets) {
        String key = keys[nextKey()];
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            bucket = buckets.get(key, k -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(50).refillGreedy(50, Duration.ofSeconds(1)).build())
                    .withCustomTimePrecision(clock).build());
        }
        return bucket.tryConsumeAndReturnRemaining(1);
    }


    /** Bucket4j alone: one bucket, no keys. */
    @Benchmark
    public ConsumptionProbe bucket4jOneBucket() {
        nextKey();
        return single.tryConsumeAndReturnRemaining(1);
    }

    /** Resilience4j's RateLimiter, one per key through the same bounded map. */
    @Benchmark
    public boolean resilience4jThroughABoundedMap() {
        String key = keys[nextKey()];
        return resilience.get(key, k -> io.github.resilience4j.ratelimiter.RateLimiter.of(k, resilienceConfig))
                .acquirePermission();
    }
}
