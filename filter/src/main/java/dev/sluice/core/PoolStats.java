package dev.sluice.core;

import org.jspecify.annotations.NullMarked;

/**
 * A snapshot of an {@link IsolationPool}'s state, for monitoring.
 *
 * @param pool the pool's name
 * @param active requests running now (on pool threads, or holding a permit)
 * @param queued requests waiting for a pool thread ({@code threads} mode)
 * @param parked requests waiting for a permit ({@code permits} mode)
 * @param rejected requests refused since start because the pool and its queue were full
 * @param timedOut requests that ran out of time since start
 */
@NullMarked
public record PoolStats(String pool, int active, int queued, int parked, long rejected, long timedOut) {
}
