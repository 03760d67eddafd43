package dev.sluice.core;

/** How an {@link IsolationPool} isolates its class of work ({@code sluice.pool.<name>.mode}). */
public enum PoolMode {
    /** The work runs on the pool's own threads; the container thread is freed and the timeout preempts. */
    THREADS,
    /** The work runs on container threads, at most {@code threads} at once; the rest wait parked, holding no thread. */
    PERMITS
}
