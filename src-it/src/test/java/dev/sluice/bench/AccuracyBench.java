package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sluice.core.Sluice;

/**
 * How many requests a limit of 50 per hour admits across three instances: Sluice on a 3-member
 * Hazelcast cluster (one global limit) against per-instance limiters (Sluice's local store, which
 * is what Jetty's DoSFilter or any in-memory limiter amounts to). 600 requests from 6 threads,
 * spread round-robin over the instances. A token returns every 72 s, so a run of a few seconds
 * admits exactly the limit when the limit is global.
 *
 * <p>Run: {@code src-it/bench.sh accuracy}.
 */
public final class AccuracyBench {

    private static final int REQUESTS = 600;
    private static final int LIMIT = 50;
    private static final Map<String, String> POLICY = Map.of(
            "sluice.policy.global.path", "/*",
            "sluice.policy.global.limit", LIMIT + "/hour",
            "sluice.policy.global.key", "global");

    private AccuracyBench() {
    }

    public static void main(String[] args) throws Exception {
        String cluster = Engines.clusterName();
        List<Sluice> grid = new ArrayList<>();
        List<Sluice> local = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                grid.add(Engines.start(Engines.member(cluster, i, 3, POLICY), null));
                local.add(Engines.start(POLICY, null));
            }
            long start = System.nanoTime();
            int clustered = admitted(grid);
            int perInstance = admitted(local);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            System.out.printf("| limiter, 3 instances, limit %d/hour (run: %d s) | admitted of %d | over the limit |%n|---|---|---|%n",
                    LIMIT, seconds, REQUESTS);
            System.out.printf("| Sluice, 3-member Hazelcast cluster | %d | %d |%n", clustered, clustered - LIMIT);
            System.out.printf("| per-instance limiter (Sluice local; DoSFilter alike) | %d | %d |%n", perInstance, perInstance - LIMIT);
        } finally {
            grid.forEach(Sluice::close);
            local.forEach(Sluice::close);
        }
    }

    private static int admitted(List<Sluice> instances) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int offset = t;
                Callable<Integer> client = () -> {
                    KeyedRequest request = new KeyedRequest();
                    int admitted = 0;
                    for (int i = offset; i < REQUESTS; i += 6) {
                        admitted += instances.get(i % instances.size()).check("GET", "/orders", request).admitted() ? 1 : 0;
                    }
                    return admitted;
                };
                counts.add(threads.submit(client));
            }
            int total = 0;
            for (Future<Integer> count : counts) {
                total += count.get();
            }
            return total;
        } finally {
            threads.shutdownNow();
        }
    }
}
