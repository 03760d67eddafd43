package dev.sluice.hazelcast;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.hazelcast.core.HazelcastInstance;

import dev.sluice.core.BucketStore;
import dev.sluice.core.BucketStoreContract;
import dev.sluice.core.ManualClock;

/**
 * The store contract through a Hazelcast client, so that every bucket operation crosses the wire
 * with Bucket4j's serializers on both ends.
 */
class HazelcastClientBucketStoreTest extends BucketStoreContract {

    private static HazelcastInstance member;
    private static HazelcastInstance client;

    @BeforeAll
    static void startClusterAndClient() {
        String cluster = TestGrid.clusterName("client-contract");
        int port = TestGrid.freePorts(1)[0];
        member = TestGrid.member(cluster, port);
        client = HazelcastBucketStore.startClient(HazelcastConfigs.client(TestGrid.settings(
                "sluice.hazelcast.mode", "client",
                "sluice.hazelcast.cluster-name", cluster,
                "sluice.hazelcast.members", TestGrid.members(port))));
    }

    @AfterAll
    static void stopClusterAndClient() {
        if (client != null) {
            client.shutdown();
        }
        if (member != null) {
            member.shutdown();
        }
    }

    @Override
    protected BucketStore createStore(ManualClock clock) {
        return new HazelcastBucketStore(client, false, "buckets-" + UUID.randomUUID(), Duration.ofSeconds(10), clock);
    }
}
