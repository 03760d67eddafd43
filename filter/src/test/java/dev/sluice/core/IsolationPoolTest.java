package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class IsolationPoolTest {

    private final Scheduler timer = new ManualScheduler(ManualClock.startingNow());

    private IsolationPool pool(PoolMode mode, int threads, int queue) {
        return new IsolationPool("work", mode, threads, queue, Duration.ofSeconds(3), timer);
    }

    @Test
    void permitsAreHandedToParkedRequestsInArrivalOrder() {
        IsolationPool pool = pool(PoolMode.PERMITS, 1, 2);
        List<String> admitted = new ArrayList<>();
        assertThat(pool.enter(() -> admitted.add("first"))).isEqualTo(IsolationPool.Admission.RUN);
        assertThat(pool.enter(() -> admitted.add("second"))).isEqualTo(IsolationPool.Admission.PARKED);
        assertThat(pool.enter(() -> admitted.add("third"))).isEqualTo(IsolationPool.Admission.PARKED);
        assertThat(pool.enter(() -> admitted.add("fourth"))).isEqualTo(IsolationPool.Admission.REJECTED);
        assertThat(pool.stats()).isEqualTo(new PoolStats("work", 1, 0, 2, 1, 0));
        pool.release();
        assertThat(admitted).containsExactly("second");
        pool.release();
        assertThat(admitted).containsExactly("second", "third");
        pool.release();
        assertThat(pool.stats()).isEqualTo(new PoolStats("work", 0, 0, 0, 1, 0));
    }

    @Test
    void anAbandonedRequestNeverGetsAPermit() {
        IsolationPool pool = pool(PoolMode.PERMITS, 1, 1);
        List<String> admitted = new ArrayList<>();
        pool.enter(() -> admitted.add("running"));
        IsolationPool.Waiter late = () -> admitted.add("late");
        assertThat(pool.enter(late)).isEqualTo(IsolationPool.Admission.PARKED);
        assertThat(pool.abandon(late)).isTrue();
        assertThat(pool.abandon(late)).as("only once").isFalse();
        pool.release();
        assertThat(admitted).isEmpty();
        assertThat(pool.stats()).isEqualTo(new PoolStats("work", 0, 0, 0, 0, 1));
    }

    @Test
    void threadsModeRunsOnNamedThreadsAndRefusesWhenFull() throws Exception {
        IsolationPool pool = pool(PoolMode.THREADS, 2, 1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(2);
            List<String> names = new ArrayList<>();
            Runnable blocking = () -> {
                synchronized (names) {
                    names.add(Thread.currentThread().getName());
                }
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            assertThat(pool.execute(blocking)).isTrue();
            assertThat(pool.execute(blocking)).isTrue();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.execute(blocking)).as("queued").isTrue();
            assertThat(pool.execute(blocking)).as("full").isFalse();
            assertThat(pool.stats()).isEqualTo(new PoolStats("work", 2, 1, 0, 1, 0));
            assertThat(names).containsExactlyInAnyOrder("sluice-work-1", "sluice-work-2");
            release.countDown();
        } finally {
            pool.close();
        }
    }

    @Test
    void closeInterruptsRunningTasksAndStopsTheThreads() throws Exception {
        IsolationPool pool = pool(PoolMode.THREADS, 1, 0);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        pool.close();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("sluice-work-") && t.isAlive());
    }

    @Test
    void retryAfterIsTheTimeoutRoundedUp() {
        assertThat(new IsolationPool("p", PoolMode.PERMITS, 1, 0, Duration.ofMillis(300), timer).retryAfterSeconds()).isEqualTo(1);
        assertThat(new IsolationPool("p", PoolMode.PERMITS, 1, 0, Duration.ofMillis(2_001), timer).retryAfterSeconds()).isEqualTo(3);
    }
}
