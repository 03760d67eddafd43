package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay: the seam through which isolation pools arm their deadlines, so
 * that tests fire deadlines by moving a manual clock instead of waiting for a timer thread.
 *
 * <p>Implementations are thread-safe; a task runs at most once, and not at all once its
 * {@link Future} is cancelled before it starts.
 */
@FunctionalInterface
interface Scheduler {

    /** Runs {@code task} once {@code delay} has passed, unless the returned future is cancelled first. */
    Future<?> schedule(Runnable task, Duration delay);

    /** A scheduler on a real timer; the timer's owner shuts it down. */
    static Scheduler on(ScheduledExecutorService timer) {
        requireNonNull(timer, "timer");
        return (task, delay) -> timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
