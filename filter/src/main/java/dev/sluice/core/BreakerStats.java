package dev.sluice.core;

import org.jspecify.annotations.NullMarked;

/**
 * A snapshot of a {@link Breaker}'s state, for monitoring.
 *
 * @param breaker the breaker's name
 * @param state {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param calls the calls recorded in the current window (0 before any)
 * @param failureRate the failure percentage in the current window, or -1 while it holds fewer calls
 *     than the breaker's minimum
 * @param notPermitted requests refused since start because the breaker was open
 */
@NullMarked
public record BreakerStats(String breaker, String state, int calls, float failureRate, long notPermitted) {
}
