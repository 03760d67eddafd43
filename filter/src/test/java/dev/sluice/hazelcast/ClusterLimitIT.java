package dev.sluice.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import dev.sluice.core.ManualClock;
import dev.sluice.servlet.SluiceServletContext;

/**
 * Three instances of one web application, each an embedded Hazelcast member behind its own
 * SluiceFilter on real Jetty, share one {@code 50/minute} global policy. Time is frozen with a
 * shared manual clock, so no token returns during a run and every count is exact. The deadline is
 * generous and the fault mode fail-closed, so a grid fault would show as a 503.
 */
class ClusterLimitIT {

    private static final int LIMIT = 50;

    @TempDir
    Path directory;

    private final ManualClock clock = ManualClock.startingNow();
    private final List<GridApp> apps = new ArrayList<>();
    private final AtomicLong admittedWhenKilled = new AtomicLong();
    private String cluster;

    @AfterEach
    void stopApps() {
        apps.forEach(GridApp::close);
    }

    private void startThreeInstances() throws Exception {
        cluster = TestGrid.clusterName("cluster-limit");
        int[] ports = TestGrid.freePorts(3);
        for (int port : ports) {
            apps.add(GridApp.start("""
                    sluice.store=hazelcast
                    sluice.hazelcast.cluster-name=%s
                    sluice.hazelcast.port=%d
                    sluice.hazelcast.members=%s
                    sluice.hazelcast.timeout=10s
                    sluice.hazelcast.fault-mode=fail-closed
                    sluice.policy.global.path=/*
                    sluice.policy.global.limit=%d/minute
                    sluice.policy.global.key=global
                    """.formatted(cluster, port, TestGrid.members(ports), LIMIT), directory,
                    Map.of(SluiceServletContext.CLOCK_ATTRIBUTE, clock)));
        }
        List<HazelcastInstance> members = members();
        assertThat(members).hasSize(3);
        for (HazelcastInstance member : members) {
            assertThat(member.getCluster().getMembers()).hasSize(3);
        }
        // Backups protect a bucket only once the partitions that joining members took over have
        // been copied: until then the loss of a member can lose the only replica.
        await("cluster safe").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> members.stream().allMatch(member -> member.getPartitionService().isClusterSafe()));
    }

    /** The members Sluice started for this test's cluster, in the order of {@link #apps}. */
    private List<HazelcastInstance> members() {
        List<HazelcastInstance> members = new ArrayList<>(Hazelcast.getAllHazelcastInstances().stream()
                .filter(instance -> instance.getConfig().getClusterName().equals(cluster)).toList());
        members.sort((a, b) -> Integer.compare(port(a.getCluster().getLocalMember()), port(b.getCluster().getLocalMember())));
        return members;
    }

    private static int port(Member member) {
        return member.getAddress().getPort();
    }

    @Test
    void twoThousandRequestsOverThreeInstancesAdmitExactlyTheLimit() throws Exception {
        startThreeInstances();
        Map<Integer, LongAdder> statuses = send(2_000, apps, null, 0);
        assertThat(statuses.keySet()).containsOnly(200, 429);
        assertThat(statuses.get(200).sum()).isEqualTo(LIMIT);
        assertThat(statuses.get(429).sum()).isEqualTo(2_000 - LIMIT);
    }

    @Test
    void losingTheBucketsOwnerMidRunKeepsTheCountThroughItsBackup() throws Exception {
        startThreeInstances();
        Map<Integer, LongAdder> before = send(20, apps, null, 0);
        assertThat(before.get(200).sum()).isEqualTo(20);

        // The owner of the bucket's partition dies, as a killed process would; its HTTP traffic
        // is no longer routed to it, the other two instances go on serving.
        List<HazelcastInstance> members = members();
        String bucketKey = members.get(0).getMap("sluice-buckets").keySet().iterator().next().toString();
        Member owner = members.get(0).getPartitionService().getPartition(bucketKey).getOwner();
        int victim = 0;
        while (!members.get(victim).getCluster().getLocalMember().equals(owner)) {
            victim++;
        }
        HazelcastInstance victimMember = members.get(victim);
        List<GridApp> survivors = new ArrayList<>(apps);
        survivors.remove(victim);

        Map<Integer, LongAdder> after = send(600, survivors, () -> victimMember.getLifecycleService().terminate(), 10);

        assertThat(after.keySet()).containsOnly(200, 429);
        long admitted = before.get(200).sum() + after.get(200).sum();
        // A take that the dying owner applied and backed up but could not answer is retried on the
        // new owner and taken twice: the one error a lost member can cause, on the strict side.
        assertThat(admitted).isBetween((long) LIMIT - 2, (long) LIMIT);
        assertThat(admittedWhenKilled.get()).as("admitted before the kill").isLessThan(admitted);
    }

    /**
     * Sends {@code total} GETs from 16 threads, spread round-robin over {@code targets}; after
     * {@code killAfter} of them have been answered, notes how many were admitted and runs {@code kill}
     * while the rest are in flight.
     */
    private Map<Integer, LongAdder> send(int total, List<GridApp> targets, Runnable kill, int killAfter) throws Exception {
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(kill == null ? 0 : 1);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                workers.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        HttpResponse<String> response = targets.get(i % targets.size()).get("/orders");
                        statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
                        if (answered.incrementAndGet() == killAfter && kill != null) {
                            admittedWhenKilled.set(statuses.getOrDefault(200, new LongAdder()).sum());
                            kill.run();
                            killed.countDown();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
            assertThat(killed.await(0, TimeUnit.SECONDS)).isTrue();
        } finally {
            threads.shutdownNow();
        }
        return statuses;
    }
}
