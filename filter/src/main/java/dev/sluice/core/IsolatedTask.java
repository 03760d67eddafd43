package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One request run on a {@code threads} {@link IsolationPool} under the pool's timeout, answered
 * exactly once: by its own work, or by Sluice with a 503 when the pool is full or the timeout
 * passes first. The servlet and JAX-RS adapters bring the container's side as an {@link Exchange};
 * the race between the work, the deadline, the container and the application's threads is decided
 * here, for both.
 *
 * <p>Who answers is decided once, under one lock, the guard. The deadline, once it wins, interrupts
 * the work; the work (or anything acting for it) then loses every {@link #claim()}, {@link #end} and
 * {@link #whileOpen} write, so nothing it does later reaches the client or a request the container
 * may have recycled. The deadline is disarmed as soon as anyone else ends the task. An interrupt
 * meant for this task is cleared before the pool thread takes its next task.
 *
 * <p>For Sluice's adapters, not applications. Thread-safe: the thread that starts the task, a pool
 * thread, the timer thread, the container's threads and the application's own threads meet here.
 */
public final class IsolatedTask {

    /**
     * The adapter's side of one task. Once the task has started, exactly one of {@link #work} and
     * {@link #skipped} is called, and at most one of {@link #refused} and {@link #timedOut}; each once.
     */
    public interface Exchange {

        /**
         * Runs the request, on a pool thread; an interrupt means the deadline has answered. Whatever
         * it throws propagates to the pool after the task has let go of the thread.
         */
        void work();

        /** The work will never run: the task ended (timed out, refused, cancelled) before a pool thread took it. */
        void skipped();

        /** Answers the request with Sluice's 503 because the pool is full; on the thread that called {@link #start()}. */
        void refused();

        /**
         * Answers the request with Sluice's 503 because the pool's timeout passed; on the timer
         * thread, after the work (if it runs) has been interrupted.
         */
        void timedOut();
    }

    /** A write to the exchange, run under the guard while the task is open. */
    @FunctionalInterface
    public interface GuardedAction {
        /** Performs the write. */
        void run() throws IOException;
    }

    private enum State { OPEN, ANSWERED, TIMED_OUT, REFUSED, CANCELLED }

    private final IsolationPool pool;
    private final Exchange exchange;
    private final boolean answersUnderGuard;
    private final ReentrantLock guard = new ReentrantLock();
    /** Written under the guard; read without it where a stale answer does no harm. */
    private volatile State state = State.OPEN;
    private boolean started;
    private Thread worker;
    private Future<?> deadline;

    private IsolatedTask(IsolationPool pool, Exchange exchange, boolean answersUnderGuard) {
        this.pool = requireNonNull(pool, "pool");
        this.exchange = requireNonNull(exchange, "exchange");
        this.answersUnderGuard = answersUnderGuard;
    }

    /**
     * A task whose 503s ({@link Exchange#refused()}, {@link Exchange#timedOut()}) are written under
     * the guard, so that no {@link #whileOpen} write of the work interleaves with them and a
     * container thread ending the task waits until they are written: for adapters that write the
     * response themselves.
     */
    public static IsolatedTask answeringUnderGuard(IsolationPool pool, Exchange exchange) {
        return new IsolatedTask(pool, exchange, true);
    }

    /**
     * A task whose 503s are answered after the guard is released: for adapters that answer through
     * a runtime which may call back into the task from other threads while it answers (it would
     * deadlock under the guard). The work must then {@link #claim()} before it answers.
     */
    public static IsolatedTask answeringAfterGuard(IsolationPool pool, Exchange exchange) {
        return new IsolatedTask(pool, exchange, false);
    }

    /**
     * Arms the deadline and hands the work to the pool. A full pool answers through
     * {@link Exchange#refused()} at once, then {@link Exchange#skipped()}. Call once.
     *
     * @throws IllegalStateException if the task has started already, or the pool has no threads
     */
    public void start() {
        boolean open;
        guard.lock();
        try {
            if (started) {
                throw new IllegalStateException("the task on pool " + pool.name() + " has started already");
            }
            started = true;
            open = state == State.OPEN;
            if (open) {
                deadline = pool.scheduleTimeout(this::timeOut);
            }
        } finally {
            guard.unlock();
        }
        if (!open) {
            exchange.skipped();
        } else if (!pool.execute(this::runOnPool)) {
            try {
                if (decide(State.REFUSED, exchange::refused) && !answersUnderGuard) {
                    exchange.refused();
                }
            } finally {
                exchange.skipped();
            }
        }
    }

    private void runOnPool() {
        boolean open;
        guard.lock();
        try {
            open = state == State.OPEN;
            if (open) {
                worker = Thread.currentThread();
            }
        } finally {
            guard.unlock();
        }
        if (!open) {
            exchange.skipped();
            return;
        }
        try {
            exchange.work();
        } finally {
            guard.lock();
            try {
                worker = null;
            } finally {
                guard.unlock();
            }
            // an interrupt meant for this task must not leak into the thread's next task, whatever executor runs it
            Thread.interrupted();
        }
    }

    private void timeOut() {
        if (decide(State.TIMED_OUT, exchange::timedOut) && !answersUnderGuard) {
            exchange.timedOut();
        }
    }

    /**
     * Ends the task as {@code end} if it is still open: disarms the deadline, interrupts the work
     * unless the work itself ends it, and runs {@code underGuard} if Sluice answers under the guard
     * or the end is not Sluice's own answer.
     */
    private boolean decide(State end, Runnable underGuard) {
        guard.lock();
        try {
            if (state != State.OPEN) {
                return false;
            }
            state = end;
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
            if (end == State.TIMED_OUT) {
                pool.countTimeout();
            }
            if (end != State.ANSWERED && worker != null && worker != Thread.currentThread()) {
                worker.interrupt();
            }
            boolean sluiceAnswers = end == State.TIMED_OUT || end == State.REFUSED;
            if (underGuard != null && (answersUnderGuard || !sluiceAnswers)) {
                underGuard.run();
            }
            return true;
        } finally {
            guard.unlock();
        }
    }

    /**
     * Asks to answer with the work's result, from any thread, just before answering; the first
     * claim disarms the deadline, later claims by the work succeed too.
     *
     * @return {@code false} if Sluice has answered (or the task was cancelled): drop the result
     */
    public boolean claim() {
        guard.lock();
        try {
            return state == State.ANSWERED || decide(State.ANSWERED, null);
        } finally {
            guard.unlock();
        }
    }

    /**
     * Ends the task with the work's answer, from any thread: runs {@code answer} under the guard if
     * no one has ended the task before.
     *
     * @return whether this call ended the task (and ran {@code answer})
     */
    public boolean end(Runnable answer) {
        return decide(State.ANSWERED, requireNonNull(answer, "answer"));
    }

    /**
     * Ends the task because the exchange failed (the client left, the container gave up): interrupts
     * the work and runs {@code cleanUp} under the guard, if no one has ended the task before.
     *
     * @return whether this call ended the task
     */
    public boolean cancel(Runnable cleanUp) {
        return decide(State.CANCELLED, requireNonNull(cleanUp, "cleanUp"));
    }

    /**
     * Runs a write of the work under the guard if the task is still open, else drops it.
     *
     * @return whether the write ran
     */
    public boolean whileOpen(GuardedAction write) throws IOException {
        guard.lock();
        try {
            if (state != State.OPEN) {
                return false;
            }
            write.run();
            return true;
        } finally {
            guard.unlock();
        }
    }

    /** Whether no one has ended the task yet. */
    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Whether the pool's timeout ended the task (Sluice answered 503). */
    public boolean timedOut() {
        return state == State.TIMED_OUT;
    }

    /** Whether the full pool ended the task (Sluice answered 503; the work never ran). */
    public boolean refused() {
        return state == State.REFUSED;
    }

    /** Whether the calling thread is the pool thread running this task's work. */
    public boolean runsHere() {
        guard.lock();
        try {
            return worker == Thread.currentThread();
        } finally {
            guard.unlock();
        }
    }

    @Override
    public String toString() {
        return "IsolatedTask[" + pool.name() + ", " + state + "]";
    }
}
