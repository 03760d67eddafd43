package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deadline race of a request on a {@code threads} pool, each interleaving built by hand: the
 * deadline fires when the test moves a {@link ManualClock}, the work runs on the pool's real
 * threads and waits on latches. No test sleeps.
 */
@Timeout(60)
class IsolatedTaskTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String ANSWERED = "answered";
    private static final String TIMED_OUT = "503 timed out";
    private static final String FULL = "503 is full";

    private final ManualScheduler scheduler = new ManualScheduler(ManualClock.startingNow());
    private final List<IsolationPool> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(IsolationPool::close);
    }

    private IsolationPool pool(int threads, int queue) {
        IsolationPool pool = new IsolationPool("work", PoolMode.THREADS, threads, queue, TIMEOUT, scheduler);
        pools.add(pool);
        return pool;
    }

    /** What the work does, given its adapter. */
    @FunctionalInterface
    interface Work {
        void run(Adapter self) throws Exception;
    }

    /** A recording adapter: every call the task makes, and every answer that reaches the client, in order. */
    static final class Adapter implements IsolatedTask.Exchange {
        final Queue<String> events = new ConcurrentLinkedQueue<>();
        final CountDownLatch started = new CountDownLatch(1);
        /** Counted once the work has returned (or thrown), or the task has skipped it. */
        final CountDownLatch done = new CountDownLatch(1);
        private final Work work;
        IsolatedTask task;

        Adapter(Work work) {
            this.work = work;
        }

        @Override
        public void work() {
            events.add("work");
            started.countDown();
            try {
                work.run(this);
            } catch (InterruptedException e) {
                events.add("interrupted");
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                done.countDown();
            }
        }

        @Override
        public void skipped() {
            events.add("skipped");
            done.countDown();
        }

        @Override
        public void refused() {
            events.add(FULL);
        }

        @Override
        public void timedOut() {
            events.add(TIMED_OUT);
        }

        /** Writes as the work would, through the guard; records whether the write got through. */
        void write(String text) throws java.io.IOException {
            if (!task.whileOpen(() -> events.add(text))) {
                events.add("dropped " + text);
            }
        }

        long answers() {
            return events.stream().filter(e -> e.equals(ANSWERED) || e.startsWith("503") || e.equals("cancelled")).count();
        }
    }

    private static IsolatedTask task(IsolationPool pool, Adapter adapter, boolean underGuard) {
        adapter.task = underGuard ? IsolatedTask.answeringUnderGuard(pool, adapter) : IsolatedTask.answeringAfterGuard(pool, adapter);
        return adapter.task;
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(30, TimeUnit.SECONDS)).as("latch reached").isTrue();
    }

    /** Occupies one thread of {@code pool} until the returned latch is counted down. */
    private static CountDownLatch occupy(IsolationPool pool) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        assertThat(pool.execute(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).isTrue();
        await(running);
        return release;
    }

    /** Whether the next task on {@code pool} starts with its thread's interrupt flag set; it queues while the thread finishes the last one. */
    private static boolean nextTaskStartsInterrupted(IsolationPool pool) throws Exception {
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        assertThat(pool.execute(() -> interrupted.complete(Thread.currentThread().isInterrupted()))).isTrue();
        return interrupted.get(30, TimeUnit.SECONDS);
    }

    private static void waitUntilParked(Thread thread) {
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(thread.isAlive()).as(thread.getName() + " alive").isTrue();
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest(name = "answering under the guard: {0}")
    @ValueSource(booleans = {true, false})
    void workThatAnswersBeforeTheDeadlineIsTheOnlyAnswerAndDisarmsIt(boolean underGuard) throws Exception {
        IsolationPool pool = pool(1, 0);
        Adapter adapter = new Adapter(self -> self.task.end(() -> self.events.add(ANSWERED)));
        IsolatedTask task = task(pool, adapter, underGuard);
        task.start();
        await(adapter.done);
        assertThat(scheduler.pending()).as("deadline disarmed").isZero();
        scheduler.advance(TIMEOUT.multipliedBy(2));
        assertThat(adapter.events).containsExactly("work", ANSWERED);
        assertThat(task.isOpen()).isFalse();
        assertThat(task.timedOut()).isFalse();
        assertThat(pool.stats().timedOut()).isZero();
    }

    @Test
    void theDeadlineFiresWhenThePoolsTimeoutHasPassedAndNotBefore() throws Exception {
        IsolationPool pool = pool(1, 0);
        CountDownLatch release = new CountDownLatch(1);
        Adapter adapter = new Adapter(self -> release.await());
        task(pool, adapter, true).start();
        await(adapter.started);
        scheduler.advance(TIMEOUT.minusNanos(1));
        assertThat(adapter.events).containsExactly("work");
        scheduler.advance(Duration.ofNanos(1));
        assertThat(adapter.events).contains(TIMED_OUT);
        await(adapter.done);
    }

    @Test
    void theDeadlineOfAQueuedTaskAnswers503AndTheWorkNeverRuns() throws Exception {
        IsolationPool pool = pool(1, 1);
        CountDownLatch releaseBusyThread = occupy(pool);
        Adapter adapter = new Adapter(self -> self.task.end(() -> self.events.add(ANSWERED)));
        IsolatedTask task = task(pool, adapter, true);
        task.start();
        assertThat(pool.stats().queued()).isEqualTo(1);
        scheduler.advance(TIMEOUT);
        assertThat(adapter.events).containsExactly(TIMED_OUT);
        assertThat(pool.stats().timedOut()).isEqualTo(1);
        releaseBusyThread.countDown();
        await(adapter.done);
        assertThat(adapter.events).containsExactly(TIMED_OUT, "skipped");
        assertThat(task.timedOut()).isTrue();
    }

    @ParameterizedTest(name = "answering under the guard: {0}")
    @ValueSource(booleans = {true, false})
    void theDeadlineWhileRunningInterruptsAnswers503OnceAndDropsEveryLateAnswer(boolean underGuard) throws Exception {
        IsolationPool pool = pool(1, 1);
        CountDownLatch never = new CountDownLatch(1);
        Adapter adapter = new Adapter(self -> {
            try {
                never.await();
            } finally {
                self.write("late write");
                if (!self.task.end(() -> self.events.add(ANSWERED))) {
                    self.events.add("late end refused");
                }
                if (!self.task.claim()) {
                    self.events.add("late claim refused");
                }
            }
        });
        IsolatedTask task = task(pool, adapter, underGuard);
        task.start();
        await(adapter.started);
        scheduler.advance(TIMEOUT);
        await(adapter.done);
        assertThat(adapter.events).containsExactlyInAnyOrder("work", TIMED_OUT, "dropped late write", "late end refused",
                "late claim refused", "interrupted");
        assertThat(pool.stats().timedOut()).isEqualTo(1);
        assertThat(nextTaskStartsInterrupted(pool)).as("the interrupt stays with the timed-out task").isFalse();
        scheduler.advance(TIMEOUT);
        assertThat(adapter.answers()).isEqualTo(1);
    }

    @Test
    void aWriteUnderWayHoldsTheDeadlineBackUntilItIsDone() throws Exception {
        IsolationPool pool = pool(1, 0);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finishWrite = new CountDownLatch(1);
        Adapter adapter = new Adapter(self -> self.task.whileOpen(() -> {
            self.events.add("write begins");
            writing.countDown();
            try {
                finishWrite.await();
            } catch (InterruptedException e) {
                self.events.add("write interrupted");
            }
            self.events.add("write ends");
        }));
        task(pool, adapter, true).start();
        await(writing);
        Thread timer = new Thread(() -> scheduler.advance(TIMEOUT), "test-timer");
        timer.start();
        waitUntilParked(timer);
        assertThat(adapter.events).doesNotContain(TIMED_OUT);
        finishWrite.countDown();
        timer.join();
        await(adapter.done);
        assertThat(adapter.events).containsExactly("work", "write begins", "write ends", TIMED_OUT);
    }

    @Test
    void aLateWriteWaitsForThe503WrittenUnderTheGuardAndIsThenDropped() throws Exception {
        IsolationPool pool = pool(1, 0);
        CountDownLatch never = new CountDownLatch(1);
        Adapter adapter = new Adapter(self -> never.await());
        List<Thread> writers = new ArrayList<>();
        IsolatedTask task = IsolatedTask.answeringUnderGuard(pool, new IsolatedTask.Exchange() {
            @Override
            public void work() {
                adapter.work();
            }

            @Override
            public void skipped() {
                adapter.skipped();
            }

            @Override
            public void refused() {
                adapter.refused();
            }

            @Override
            public void timedOut() {
                adapter.events.add("503 begins");
                Thread writer = new Thread(() -> {
                    try {
                        adapter.write("late write");
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }, "test-late-writer");
                writers.add(writer);
                writer.start();
                waitUntilParked(writer);
                adapter.events.add("503 ends");
            }
        });
        adapter.task = task;
        task.start();
        await(adapter.started);
        scheduler.advance(TIMEOUT);
        writers.get(0).join();
        await(adapter.done);
        assertThat(adapter.events).containsSubsequence("503 begins", "503 ends", "dropped late write")
                .doesNotContain("late write");
    }

    @Test
    void answeringAfterTheGuardLeavesItFreeForTheRuntimesCallbacks() throws Exception {
        IsolationPool pool = pool(1, 0);
        CountDownLatch never = new CountDownLatch(1);
        Adapter adapter = new Adapter(self -> never.await());
        IsolatedTask task = IsolatedTask.answeringAfterGuard(pool, new IsolatedTask.Exchange() {
            @Override
            public void work() {
                adapter.work();
            }

            @Override
            public void skipped() {
                adapter.skipped();
            }

            @Override
            public void refused() {
                adapter.refused();
            }

            @Override
            public void timedOut() {
                // a runtime answering the 503 calls back from its own thread; under the guard this would never return
                try {
                    boolean claimed = CompletableFuture.supplyAsync(adapter.task::claim).get(30, TimeUnit.SECONDS);
                    adapter.events.add(claimed ? "callback claimed" : "callback refused");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                adapter.timedOut();
            }
        });
        adapter.task = task;
        task.start();
        await(adapter.started);
        scheduler.advance(TIMEOUT);
        await(adapter.done);
        assertThat(adapter.events).containsSubsequence("callback refused", TIMED_OUT).contains("interrupted");
    }

    /** Who competes with the deadline, from a thread of its own. */
    enum Competitor {
        /** The work's answer written under the guard (a servlet completing its async context). */
        END((task, adapter) -> task.end(() -> adapter.events.add(ANSWERED)), true, ANSWERED),
        /** The work's answer claimed before the runtime writes it (a resumed {@code AsyncResponse}). */
        CLAIM((task, adapter) -> {
            if (task.claim()) {
                adapter.events.add(ANSWERED);
            }
            return null;
        }, false, ANSWERED),
        /** The container ending the exchange (the client left). */
        CANCEL((task, adapter) -> task.cancel(() -> adapter.events.add("cancelled")), true, "cancelled");

        final BiFunction<IsolatedTask, Adapter, Object> act;
        final boolean underGuard;
        final String answer;

        Competitor(BiFunction<IsolatedTask, Adapter, Object> act, boolean underGuard, String answer) {
            this.act = act;
            this.underGuard = underGuard;
            this.answer = answer;
        }
    }

    @ParameterizedTest
    @EnumSource(Competitor.class)
    void anAnswerRacingTheDeadlineFromAnotherThreadWinsOrLosesButTheClientGetsExactlyOne(Competitor competitor)
            throws Exception {
        IsolationPool pool = pool(1, 1);
        ExecutorService racer = Executors.newSingleThreadExecutor();
        Map<String, Integer> winners = new TreeMap<>();
        int iterations = 2_000;
        try {
            for (int i = 0; i < iterations; i++) {
                CountDownLatch finish = new CountDownLatch(1);
                Adapter adapter = new Adapter(self -> finish.await());
                IsolatedTask task = task(pool, adapter, competitor.underGuard);
                task.start();
                await(adapter.started);
                CyclicBarrier go = new CyclicBarrier(2);
                Future<?> answer = racer.submit(() -> {
                    go.await();
                    return competitor.act.apply(task, adapter);
                });
                go.await();
                scheduler.advance(TIMEOUT);
                answer.get(30, TimeUnit.SECONDS);
                finish.countDown();
                await(adapter.done);
                List<String> events = List.copyOf(adapter.events);
                assertThat(adapter.answers()).as("answers in %s", events).isEqualTo(1);
                String winner = events.contains(TIMED_OUT) ? TIMED_OUT : competitor.answer;
                assertThat(events).as("the work is interrupted exactly when it lost to the deadline or a cancellation")
                        .containsExactlyInAnyOrderElementsOf(winner.equals(ANSWERED)
                                ? List.of("work", ANSWERED) : List.of("work", winner, "interrupted"));
                winners.merge(winner, 1, Integer::sum);
            }
        } finally {
            racer.shutdownNow();
        }
        assertThat(winners.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(iterations);
        assertThat(pool.stats().timedOut()).isEqualTo(winners.getOrDefault(TIMED_OUT, 0).longValue());
        System.out.printf("%s against the deadline, %d races: %s%n", competitor, iterations, winners);
    }

    @Test
    void cancellingARunningTaskInterruptsItDisarmsTheDeadlineAndDropsItsLateWrites() throws Exception {
        IsolationPool pool = pool(1, 1);
        CountDownLatch never = new CountDownLatch(1);
        Adapter adapter = new Adapter(self -> {
            try {
                never.await();
            } finally {
                self.write("late write");
            }
        });
        IsolatedTask task = task(pool, adapter, true);
        task.start();
        await(adapter.started);
        assertThat(task.cancel(() -> adapter.events.add("cancelled"))).isTrue();
        assertThat(task.cancel(() -> adapter.events.add("cancelled twice"))).isFalse();
        await(adapter.done);
        assertThat(scheduler.pending()).as("deadline disarmed").isZero();
        scheduler.advance(TIMEOUT);
        assertThat(adapter.events).containsExactlyInAnyOrder("work", "cancelled", "interrupted", "dropped late write");
        assertThat(pool.stats().timedOut()).isZero();
        assertThat(task.timedOut()).isFalse();
        assertThat(nextTaskStartsInterrupted(pool)).isFalse();
    }

    @Test
    void aTaskCancelledWhileQueuedNeverRuns() throws Exception {
        IsolationPool pool = pool(1, 1);
        CountDownLatch releaseBusyThread = occupy(pool);
        Adapter adapter = new Adapter(self -> self.events.add("ran"));
        IsolatedTask task = task(pool, adapter, true);
        task.start();
        assertThat(task.cancel(() -> adapter.events.add("cancelled"))).isTrue();
        releaseBusyThread.countDown();
        await(adapter.done);
        scheduler.advance(TIMEOUT);
        assertThat(adapter.events).containsExactly("cancelled", "skipped");
    }

    @Test
    void aTaskCancelledBeforeItStartsIsNeitherScheduledNorRun() throws Exception {
        IsolationPool pool = pool(1, 0);
        Adapter adapter = new Adapter(self -> self.events.add("ran"));
        IsolatedTask task = task(pool, adapter, true);
        assertThat(task.cancel(() -> adapter.events.add("cancelled"))).isTrue();
        task.start();
        assertThat(scheduler.pending()).isZero();
        assertThat(adapter.events).containsExactly("cancelled", "skipped");
        assertThatThrownBy(task::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("pool work");
    }

    @Test
    void workThatThrowsLeavesTheAnswerToTheDeadlineAndThePoolServesOn() throws Exception {
        IsolationPool pool = pool(1, 1);
        Adapter adapter = new Adapter(self -> {
            throw new IllegalStateException("the application failed");
        });
        IsolatedTask task = task(pool, adapter, true);
        task.start();
        await(adapter.done);
        assertThat(task.isOpen()).as("a failure is the adapter's to answer; until then the task is open").isTrue();
        scheduler.advance(TIMEOUT);
        assertThat(adapter.events).containsExactly("work", TIMED_OUT);
        assertThat(pool.stats().timedOut()).isEqualTo(1);
        assertThat(nextTaskStartsInterrupted(pool)).isFalse();
    }

    @ParameterizedTest(name = "answering under the guard: {0}")
    @ValueSource(booleans = {true, false})
    void aFullPoolRefusesAtOnceWithoutRunningTheWork(boolean underGuard) throws Exception {
        IsolationPool pool = pool(1, 0);
        CountDownLatch releaseBusyThread = occupy(pool);
        Adapter adapter = new Adapter(self -> self.events.add("ran"));
        IsolatedTask task = task(pool, adapter, underGuard);
        task.start();
        assertThat(adapter.events).containsExactly(FULL, "skipped");
        assertThat(scheduler.pending()).as("deadline disarmed").isZero();
        assertThat(task.refused()).isTrue();
        assertThat(task.claim()).isFalse();
        assertThat(pool.stats().rejected()).isEqualTo(1);
        scheduler.advance(TIMEOUT);
        releaseBusyThread.countDown();
        assertThat(adapter.events).containsExactly(FULL, "skipped");
        assertThat(pool.stats().timedOut()).isZero();
    }

    @Test
    void theWorkMayClaimItsAnswerMoreThanOnceButEndItOnlyOnce() throws Exception {
        IsolationPool pool = pool(1, 0);
        Adapter adapter = new Adapter(self -> {
            self.events.add("claim " + self.task.claim());
            self.events.add("claim " + self.task.claim());
            self.events.add("end " + self.task.end(() -> self.events.add("ended")));
        });
        task(pool, adapter, false).start();
        await(adapter.done);
        assertThat(scheduler.pending()).isZero();
        scheduler.advance(TIMEOUT);
        assertThat(adapter.events).containsExactly("work", "claim true", "claim true", "end false");
    }

    @Test
    void onlyThePoolThreadRunningTheWorkRunsIt() throws Exception {
        IsolationPool pool = pool(1, 1);
        AtomicBoolean onWorker = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        Adapter adapter = new Adapter(self -> {
            onWorker.set(self.task.runsHere());
            release.await();
        });
        IsolatedTask task = task(pool, adapter, true);
        task.start();
        await(adapter.started);
        assertThat(task.runsHere()).isFalse();
        release.countDown();
        await(adapter.done);
        assertThat(onWorker).isTrue();
        assertThat(nextTaskStartsInterrupted(pool)).isFalse();
        assertThat(task.runsHere()).isFalse();
    }
}
