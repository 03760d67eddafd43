package dev.sluice.bench;

import java.util.Map;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.LocalMapStats;

import dev.sluice.core.ManualClock;
import dev.sluice.core.Sluice;

/**
 * Memory per rate-limit key: retained heap per bucket in the local store, and the entry memory
 * cost Hazelcast reports per bucket in the grid (owned entries, and with the one backup).
 *
 * <p>Run: {@code src-it/bench.sh memory}.
 */
public final class MemoryBench {

    private static final int KEYS = 100_000;
    /** Fewer keys for the grid: every bucket there is a network round trip to create. */
    private static final int GRID_KEYS = 20_000;
    private static final Map<String, String> POLICY = Map.of(
            "sluice.policy.mem.path", "/*",
            "sluice.policy.mem.limit", "10/minute",
            "sluice.policy.mem.key", "header:X-Api-Key",
            "sluice.local.max-keys", Integer.toString(KEYS));

    private MemoryBench() {
    }

    public static void main(String[] args) {
        ManualClock clock = ManualClock.startingNow();
        long perKeyLocal;
        try (Sluice local = Engines.start(POLICY, clock)) {
            long before = usedHeap();
            fill(local, KEYS);
            perKeyLocal = (usedHeap() - before) / KEYS;
        }
        String cluster = Engines.clusterName();
        long owned = 0;
        long backup = 0;
        Sluice second = Engines.start(Engines.member(cluster, 1, 2, POLICY), clock);
        try (Sluice first = Engines.start(Engines.member(cluster, 0, 2, POLICY), clock)) {
            fill(first, GRID_KEYS);
            for (HazelcastInstance member : Hazelcast.getAllHazelcastInstances()) {
                LocalMapStats stats = member.getMap("sluice-buckets").getLocalMapStats();
                owned += stats.getOwnedEntryMemoryCost();
                backup += stats.getBackupEntryMemoryCost();
            }
        } finally {
            second.close();
        }
        System.out.printf("| store | memory per key (API keys of the form client-12345) |%n|---|---|%n");
        System.out.printf("| local, %d keys (retained JVM heap) | %d bytes |%n", KEYS, perKeyLocal);
        System.out.printf("| Hazelcast, %d keys (entry cost, owned) | %d bytes |%n", GRID_KEYS, owned / GRID_KEYS);
        System.out.printf("| Hazelcast, %d keys (owned + 1 backup, across the cluster) | %d bytes |%n", GRID_KEYS, (owned + backup) / GRID_KEYS);
    }

    private static void fill(Sluice engine, int keys) {
        KeyedRequest request = new KeyedRequest();
        for (int i = 0; i < keys; i++) {
            request.apiKey("client-" + i);
            engine.check("GET", "/x", request);
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
