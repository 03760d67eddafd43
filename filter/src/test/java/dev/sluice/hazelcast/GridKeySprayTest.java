package dev.sluice.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import dev.sluice.core.BucketStore;
import dev.sluice.core.ClientKey;
import dev.sluice.core.Limits;
import dev.sluice.core.ManualClock;
import dev.sluice.core.Policy;
import dev.sluice.core.TrustedProxies;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A client spraying distinct keys cannot grow the grid's bucket map beyond
 * {@code sluice.hazelcast.max-keys} per member: two embedded members on loopback, configured as
 * the embedded mode configures them. The buckets' expiry (a minute and 5 s at {@code 10/minute})
 * is far longer than the spray, so only eviction can keep the map small. Hazelcast approximates
 * the per-member size per partition, so the test derives the exact bound from the partition count.
 */
class GridKeySprayTest {

    private static final int MAX_KEYS = 500;
    private static final int SPRAY = 4_000;

    private final ManualClock clock = ManualClock.startingNow();
    private List<HazelcastInstance> members = List.of();

    @AfterEach
    void stopMembers() {
        members.forEach(HazelcastInstance::shutdown);
    }

    @Test
    void fourThousandDistinctKeysLeaveAtMostMaxKeysPerMemberAndAnEvictedBucketComesBackFull() throws Exception {
        String cluster = TestGrid.clusterName("grid-spray");
        int[] ports = TestGrid.freePorts(2);
        members = List.of(member(cluster, ports[0], ports), member(cluster, ports[1], ports));
        awaitSafeClusterOf(2);
        Policy policy = Policy.builder("spray").limits(Limits.parse("10/minute"))
                .key(ClientKey.parse("header:X-Api-Key", TrustedProxies.none())).build();
        IMap<String, byte[]> buckets = members.get(0).getMap("sluice-buckets");

        try (BucketStore store = new HazelcastBucketStore(members.get(0), false, "sluice-buckets", Duration.ofSeconds(10), clock)) {
            assertThat(store.tryConsume("victim", policy, 10).isConsumed()).isTrue();
            assertThat(store.tryConsume("victim", policy, 1).isConsumed()).as("victim's bucket is empty").isFalse();
            // Hazelcast keeps access times to the second, and breaks ties among a sample arbitrarily:
            // a second later every sprayed bucket is more recent than the victim's, whatever the speed.
            Thread.sleep(1_100);

            for (int i = 0; i < SPRAY; i++) {
                assertThat(store.tryConsume("client-" + i, policy, 1).isConsumed()).isTrue();
            }

            int partitions = members.get(0).getPartitionService().getPartitions().size();
            // Hazelcast's PER_NODE size, approximated per partition: max(1, size * members / partitions).
            int perPartition = Math.max(1, MAX_KEYS * members.size() / partitions);
            assertThat(buckets.size()).as("buckets in the cluster")
                    .isLessThanOrEqualTo(partitions * perPartition)
                    .isLessThanOrEqualTo(members.size() * MAX_KEYS)
                    .isGreaterThan(MAX_KEYS);
            for (HazelcastInstance member : members) {
                assertThat(member.getMap("sluice-buckets").getLocalMapStats().getOwnedEntryCount())
                        .as("buckets owned by %s", member.getCluster().getLocalMember())
                        .isLessThanOrEqualTo(MAX_KEYS);
            }
            awaitBackupsPerMemberAtMost(MAX_KEYS);

            assertThat(buckets.containsKey("spray|victim")).as("victim's bucket evicted").isFalse();
            ConsumptionProbe again = store.tryConsume("victim", policy, 1);
            assertThat(again.isConsumed()).isTrue();
            assertThat(again.getRemainingTokens()).as("tokens left in the bucket that came back").isEqualTo(9);
        }
    }

    /** A member exactly as the embedded mode starts it, with the bucket map bounded at {@link #MAX_KEYS}. */
    private static HazelcastInstance member(String cluster, int port, int... clusterPorts) {
        return Hazelcast.newHazelcastInstance(HazelcastConfigs.member(TestGrid.settings(
                "sluice.hazelcast.cluster-name", cluster,
                "sluice.hazelcast.port", Integer.toString(port),
                "sluice.hazelcast.members", TestGrid.members(clusterPorts),
                "sluice.hazelcast.max-keys", Integer.toString(MAX_KEYS))));
    }

    /** The backups of evicted entries go too; they may follow their primaries' eviction a little later. */
    private void awaitBackupsPerMemberAtMost(int bound) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!members.stream().allMatch(member -> member.getMap("sluice-buckets").getLocalMapStats().getBackupEntryCount() <= bound)) {
            assertThat(System.nanoTime() - deadline).as("backup copies per member at most %d within 10 s", bound).isNegative();
            Thread.sleep(50);
        }
    }

    private void awaitSafeClusterOf(int size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!members.stream().allMatch(member -> member.getCluster().getMembers().size() == size
                && member.getPartitionService().isClusterSafe())) {
            assertThat(System.nanoTime() - deadline).as("cluster of %d safe within 60 s", size).isNegative();
            Thread.sleep(50);
        }
    }
}
