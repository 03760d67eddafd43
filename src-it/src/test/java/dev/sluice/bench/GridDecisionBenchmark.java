package dev.sluice.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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

import dev.sluice.core.ManualClock;
import dev.sluice.core.Policy;
import dev.sluice.core.Sluice;
import dev.sluice.core.Verdict;

/**
 * The cost of one decision on the Hazelcast store, a 2-member cluster on loopback in this JVM,
 * against the local store, with the same mix as {@link DecisionPathBenchmark}: each key's turn
 * comes every 10 ms of the manual clock, so half the decisions admit. Half the keys' buckets live
 * on the other member. There are 2,000 keys (the clock moves 5 us per operation) rather than
 * 10,000: Hazelcast expires idle entries by its own real clock, about 5 s after their last write
 * here, and 10,000 keys at a grid call's latency take longer than that to come round, so most
 * decisions would find their bucket gone and pay a second round trip to create it.
 *
 * <p>Run: {@code src-it/bench.sh jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class GridDecisionBenchmark {

    private static final int KEYS = 2_000;
    private static final Duration STEP = Duration.ofNanos(5_000);
    private static final Map<String, String> POLICY = Map.of(
            "sluice.policy.bench.path", "/*",
            "sluice.policy.bench.limit", "50/second",
            "sluice.policy.bench.key", "header:X-Api-Key");

    private final String[] keys = new String[KEYS];
    private ManualClock clock;
    private Sluice local;
    private Sluice member;
    private Sluice otherMember;
    private List<Policy> policies;
    private KeyedRequest request;
    private int next;

    @Setup
    public void setUp() {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "client-" + i;
        }
        clock = ManualClock.startingNow();
        local = Engines.start(POLICY, clock);
        String cluster = Engines.clusterName();
        member = Engines.start(Engines.member(cluster, 0, 2, POLICY), clock);
        otherMember = Engines.start(Engines.member(cluster, 1, 2, POLICY), clock);
        policies = member.config().policies();
        request = new KeyedRequest();
    }

    @TearDown
    public void tearDown() {
        local.close();
        member.close();
        otherMember.close();
    }

    private void nextRequest() {
        clock.advance(STEP);
        request.apiKey(keys[next]);
        next = next + 1 == KEYS ? 0 : next + 1;
    }

    @Benchmark
    public Verdict localStore() {
        nextRequest();
        return local.rateLimiter().check(policies, request);
    }

    @Benchmark
    public Verdict hazelcastTwoMembers() {
        nextRequest();
        return member.rateLimiter().check(policies, request);
    }
}
