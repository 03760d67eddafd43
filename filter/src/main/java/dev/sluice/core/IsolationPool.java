package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A named, bounded share of the server for one class of work, so that a flood of one class
 * (log queries) cannot take the threads another (payments) needs.
 *
 * <p>In {@link PoolMode#THREADS} mode it owns {@code threads} threads named {@code sluice-<pool>-N}
 * and a queue of {@code queue} tasks; {@link #execute} refuses at once when both are full. In
 * {@link PoolMode#PERMITS} mode it owns no thread: {@link #enter} lets {@code threads} requests run at
 * once and parks up to {@code queue} more, each handed its permit by {@link #release} in arrival
 * order. The adapters turn a refusal into a 503.
 *
 * <p>Thread-safe. {@link #close} stops the threads.
 */
public final class IsolationPool implements AutoCloseable {

    /** What {@link #enter} did with a request. */
    public enum Admission {
        /** It holds a permit and may run now. */
        RUN,
        /** It waits; its {@link Waiter} is called when a permit is handed to it. */
        PARKED,
        /** The pool and its queue are full. */
        REJECTED
    }

    /** A parked request, resumed when a permit is handed to it. */
    @FunctionalInterface
    public interface Waiter {
        /** Called once, on the thread that released the permit, when this request may run. */
        void admit();
    }

    private final String name;
    private final PoolMode mode;
    private final int threads;
    private final int queue;
    private final Duration timeout;
    private final ThreadPoolExecutor executor;
    private final Scheduler timer;
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private int permitsInUse;

    IsolationPool(String name, PoolMode mode, int threads, int queue, Duration timeout, Scheduler timer) {
        this.name = requireNonNull(name, "name");
        this.mode = requireNonNull(mode, "mode");
        this.threads = threads;
        this.queue = queue;
        this.timeout = requireNonNull(timeout, "timeout");
        this.timer = requireNonNull(timer, "timer");
        this.executor = mode == PoolMode.THREADS ? newExecutor() : null;
    }

    private ThreadPoolExecutor newExecutor() {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "sluice-" + name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue), factory,
                (task, pool) -> {
                    throw new RejectedExecutionException("pool " + name + " is full");
                });
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** How the pool isolates. */
    public PoolMode mode() {
        return mode;
    }

    /** Threads ({@code threads} mode) or concurrent permits ({@code permits} mode). */
    public int threads() {
        return threads;
    }

    /** How many requests may wait beyond {@link #threads()}. */
    public int queue() {
        return queue;
    }

    /** How long a request may take from arrival (threads mode) or wait parked (permits mode). */
    public Duration timeout() {
        return timeout;
    }

    /** The {@code Retry-After} for a refusal by this pool, in whole seconds, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    /**
     * Runs a task on the pool's threads ({@code threads} mode).
     *
     * @return {@code false}, counting a rejection, if every thread is busy and the queue is full
     */
    public boolean execute(Runnable task) {
        if (executor == null) {
            throw new IllegalStateException("pool " + name + " is in permits mode and has no threads");
        }
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            rejected.increment();
            return false;
        }
    }

    /** Asks for a permit ({@code permits} mode); a {@link Admission#PARKED} request is resumed through its waiter. */
    public Admission enter(Waiter waiter) {
        requireNonNull(waiter, "waiter");
        synchronized (waiters) {
            if (permitsInUse < threads) {
                permitsInUse++;
                return Admission.RUN;
            }
            if (waiters.size() < queue) {
                waiters.addLast(waiter);
                return Admission.PARKED;
            }
        }
        rejected.increment();
        return Admission.REJECTED;
    }

    /**
     * Takes a parked request out of the queue because it waited too long.
     *
     * @return {@code true} if it was still waiting (it will never be admitted); {@code false} if a
     *     permit was already handed to it
     */
    public boolean abandon(Waiter waiter) {
        synchronized (waiters) {
            if (waiters.remove(waiter)) {
                timedOut.increment();
                return true;
            }
            return false;
        }
    }

    /** Gives a permit back; the oldest parked request, if any, receives it. */
    public void release() {
        Waiter next;
        synchronized (waiters) {
            next = waiters.pollFirst();
            if (next == null) {
                permitsInUse--;
                return;
            }
        }
        next.admit();
    }

    /** Runs {@code onTimeout} once the pool's timeout has passed, unless the returned future is cancelled first. */
    public Future<?> scheduleTimeout(Runnable onTimeout) {
        return timer.schedule(onTimeout, timeout);
    }

    /** Counts a request that ran out of time while running on the pool. */
    void countTimeout() {
        timedOut.increment();
    }

    /** A snapshot of the pool's state. */
    public PoolStats stats() {
        if (executor != null) {
            return new PoolStats(name, executor.getActiveCount(), executor.getQueue().size(), 0,
                    rejected.sum(), timedOut.sum());
        }
        synchronized (waiters) {
            return new PoolStats(name, permitsInUse, 0, waiters.size(), rejected.sum(), timedOut.sum());
        }
    }

    /** Interrupts running tasks and stops the threads; waits briefly for them to end. */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "IsolationPool[" + name + ", " + mode + ", threads=" + threads + ", queue=" + queue + ", timeout=" + timeout + "]";
    }
}
