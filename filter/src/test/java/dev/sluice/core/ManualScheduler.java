package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A {@link Scheduler} driven by a {@link ManualClock}: nothing runs until {@link #advance} moves the
 * clock, and then every task due runs on the thread that advanced it, earliest first. Thread-safe.
 */
final class ManualScheduler implements Scheduler {

    private record Entry(long dueNanos, FutureTask<?> task) {
    }

    private final ManualClock clock;
    private final List<Entry> entries = new ArrayList<>();

    ManualScheduler(ManualClock clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        FutureTask<?> future = new FutureTask<>(task, null);
        synchronized (entries) {
            entries.add(new Entry(clock.currentTimeNanos() + delay.toNanos(), future));
        }
        return future;
    }

    /** Moves the clock forward and runs, here, each task that is due by then and not cancelled. */
    void advance(Duration duration) {
        clock.advance(duration);
        long now = clock.currentTimeNanos();
        List<Entry> due = new ArrayList<>();
        synchronized (entries) {
            for (Entry entry : entries) {
                if (entry.dueNanos() - now <= 0) {
                    due.add(entry);
                }
            }
            entries.removeAll(due);
        }
        due.sort(Comparator.comparingLong(Entry::dueNanos));
        for (Entry entry : due) {
            entry.task().run();
            rethrowFailure(entry.task());
        }
    }

    private static void rethrowFailure(FutureTask<?> task) {
        if (task.isCancelled()) {
            return;
        }
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("a scheduled task failed", e.getCause());
        }
    }

    /** How many tasks wait to run and have not been cancelled. */
    int pending() {
        synchronized (entries) {
            return (int) entries.stream().filter(entry -> !entry.task().isCancelled()).count();
        }
    }
}
