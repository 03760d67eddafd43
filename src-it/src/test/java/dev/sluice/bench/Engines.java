package dev.sluice.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.sluice.core.ManualClock;
import dev.sluice.core.Sluice;
import dev.sluice.core.SluiceConfig;

/** Sluice engines for the benchmarks: local, or members of a Hazelcast cluster on loopback. */
final class Engines {

    static final int FIRST_MEMBER_PORT = 16701;

    private Engines() {
    }

    static String clusterName() {
        return "sluice-bench-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The members list for {@code count} members from {@link #FIRST_MEMBER_PORT}. */
    static String members(int count) {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < count; i++) {
            members.append(i == 0 ? "" : ",").append("127.0.0.1:").append(FIRST_MEMBER_PORT + i);
        }
        return members.toString();
    }

    /** Hazelcast settings for member {@code index} of a cluster of {@code count}, plus the given entries. */
    static Map<String, String> member(String cluster, int index, int count, Map<String, String> entries) {
        Map<String, String> all = new HashMap<>(entries);
        all.put("sluice.store", "hazelcast");
        all.put("sluice.hazelcast.mode", "embedded");
        all.put("sluice.hazelcast.cluster-name", cluster);
        all.put("sluice.hazelcast.interface", "127.0.0.1");
        all.put("sluice.hazelcast.port", Integer.toString(FIRST_MEMBER_PORT + index));
        all.put("sluice.hazelcast.members", members(count));
        all.put("sluice.hazelcast.timeout", "2s");
        return all;
    }

    static Sluice start(Map<String, String> entries, ManualClock clock) {
        Sluice.Builder builder = Sluice.builder(SluiceConfig.parse(entries));
        if (clock != null) {
            builder.clock(clock);
        }
        return builder.build();
    }
}
