package dev.sluice.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * Redeploying a web application ten times in one JVM: each stop shuts down the member or client
 * Sluice started, and no thread or Hazelcast instance outlives it.
 */
class RedeployIT {

    @TempDir
    Path directory;

    @Test
    void tenRedeploysWithAnEmbeddedMemberLeaveNothingBehind() throws Exception {
        int port = TestGrid.freePorts(1)[0];
        redeployTenTimes("""
                sluice.store=hazelcast
                sluice.hazelcast.cluster-name=%s
                sluice.hazelcast.port=%d
                sluice.policy.all.path=/*
                sluice.policy.all.limit=1000/minute
                """.formatted(TestGrid.clusterName("redeploy-embedded"), port));
    }

    @Test
    void tenRedeploysWithAClientLeaveNothingBehind() throws Exception {
        String cluster = TestGrid.clusterName("redeploy-client");
        int port = TestGrid.freePorts(1)[0];
        HazelcastInstance member = TestGrid.member(cluster, port);
        try {
            redeployTenTimes("""
                    sluice.store=hazelcast
                    sluice.hazelcast.mode=client
                    sluice.hazelcast.cluster-name=%s
                    sluice.hazelcast.members=127.0.0.1:%d
                    sluice.policy.all.path=/*
                    sluice.policy.all.limit=1000/minute
                    """.formatted(cluster, port));
            assertThat(Hazelcast.getAllHazelcastInstances()).containsExactly(member);
        } finally {
            member.shutdown();
        }
    }

    /**
     * Deploys once to let the JVM, the server and the HTTP client start their own threads, then
     * counts on the remaining threads staying the same over ten more deploy-request-undeploy rounds.
     */
    private void redeployTenTimes(String properties) throws Exception {
        Set<HazelcastInstance> members = Hazelcast.getAllHazelcastInstances();
        try (GridApp app = GridApp.start(properties, directory, Map.of())) {
            assertThat(app.get("/a").statusCode()).isEqualTo(200);
            app.undeploy();
            Set<Thread> baseline = awaitThreadsSettled(members);
            for (int i = 0; i < 10; i++) {
                app.deploy();
                assertThat(app.get("/a").statusCode()).isEqualTo(200);
                assertThat(Hazelcast.getAllHazelcastInstances().size() + HazelcastClient.getAllHazelcastClients().size())
                        .as("the test's members and the one Sluice started").isEqualTo(members.size() + 1);
                app.undeploy();
            }
            Set<Thread> after = awaitThreadsSettled(members);
            List<String> extra = after.stream().filter(thread -> !baseline.contains(thread)).map(Thread::getName).toList();
            assertThat(extra).as("threads started since the first deploy").isEmpty();
        }
    }

    /**
     * Waits until Sluice's Hazelcast instances are gone and their threads have ended, and returns
     * the live threads other than those that outlive the application and grow and shrink on their
     * own: the server's pool, the HTTP client's, and the test's own cluster member's.
     */
    private static Set<Thread> awaitThreadsSettled(Set<HazelcastInstance> members) {
        AtomicReference<Set<Thread>> threads = new AtomicReference<>();
        // polled on this thread: Awaitility's own would count as a thread left behind
        await("Sluice's Hazelcast instances and threads gone").pollInSameThread().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    threads.set(Thread.getAllStackTraces().keySet().stream()
                            .filter(Thread::isAlive)
                            .filter(thread -> !thread.getName().startsWith("qtp") && !thread.getName().startsWith("HttpClient-"))
                            .filter(thread -> members.stream().noneMatch(member -> thread.getName().contains(member.getName())))
                            .collect(Collectors.toSet()));
                    assertThat(HazelcastClient.getAllHazelcastClients()).isEmpty();
                    assertThat(Hazelcast.getAllHazelcastInstances()).isEqualTo(members);
                    // Hazelcast names its threads hz.<instance name>.*
                    assertThat(threads.get()).filteredOn(thread -> thread.getName().startsWith("hz.")).isEmpty();
                });
        return threads.get();
    }
}
