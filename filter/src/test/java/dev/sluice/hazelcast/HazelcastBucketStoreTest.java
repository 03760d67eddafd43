package dev.sluice.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hazelcast.core.EntryView;
import com.hazelcast.core.HazelcastInstance;

import dev.sluice.core.BucketStore;
import dev.sluice.core.BucketStoreContract;
import dev.sluice.core.ClientKey;
import dev.sluice.core.Limits;
import dev.sluice.core.ManualClock;
import dev.sluice.core.Policy;
import dev.sluice.core.TrustedProxies;
import io.github.bucket4j.TimeMeter;

/** The store contract against an embedded Hazelcast member on loopback, driven by the manual clock. */
class HazelcastBucketStoreTest extends BucketStoreContract {

    private static HazelcastInstance member;
    private String map;

    @BeforeAll
    static void startMember() {
        member = TestGrid.member(TestGrid.clusterName("store-contract"), TestGrid.freePorts(1)[0]);
    }

    @AfterAll
    static void stopMember() {
        if (member != null) {
            member.shutdown();
        }
    }

    @Override
    protected BucketStore createStore(ManualClock clock) {
        map = "buckets-" + UUID.randomUUID();
        return new HazelcastBucketStore(member, false, map, Duration.ofSeconds(10), clock);
    }

    @Test
    void anEntryExpiresOnceItsBucketWouldBeFullAgainPlusFiveSeconds() {
        Policy policy = Policy.builder("ttl").limits(Limits.parse("10/minute"))
                .key(ClientKey.parse("global", TrustedProxies.none())).build();
        store.tryConsume("k", policy, 4);
        EntryView<String, byte[]> entry = member.<String, byte[]>getMap(map).getEntryView("ttl|k");
        // 4 tokens at 10 a minute take 24 s to return
        assertThat(entry.getTtl()).isEqualTo(Duration.ofSeconds(24).plus(HazelcastBucketStore.KEEP_AFTER_REFILL).toMillis());
    }

    /** Hazelcast's asynchronous map calls would start a thread per call on a 2-core machine. */
    @Test
    void aMemberDecidesOnTheCallersThreadWithoutStartingThreads() {
        Policy policy = Policy.builder("threads").limits(Limits.parse("1000/second"))
                .key(ClientKey.parse("global", TrustedProxies.none())).build();
        store.tryConsume("warm", policy, 1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long started = threads.getTotalStartedThreadCount();
        for (int i = 0; i < 200; i++) {
            store.tryConsume("key-" + i, policy, 1);
        }
        assertThat(threads.getTotalStartedThreadCount() - started).as("threads started by 200 decisions").isLessThan(10);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).noneMatch(name -> name.startsWith("sluice-grid-"));
    }

    @Test
    void closingTheStoreLeavesAnInstanceItDidNotStartRunning() {
        store.close();
        assertThat(member.getLifecycleService().isRunning()).isTrue();
    }

    @Test
    void refusesAClockThatIsNotWallClockBased() {
        assertThatThrownBy(() -> new HazelcastBucketStore(member, false, map, Duration.ofSeconds(1), TimeMeter.SYSTEM_NANOTIME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("buckets shared across JVMs need a wall-clock based clock");
    }
}
