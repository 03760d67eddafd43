package dev.sluice.core;

import java.util.List;

/**
 * What applies to one request: the rate-limit policies to ask, the isolation pool to run on (at
 * most one) and the circuit breakers to pass.
 *
 * <p>Immutable and thread-safe.
 *
 * @param policies rate-limit policies, in name order
 * @param pool the isolation pool, or {@code null}
 * @param breakers circuit breakers, in rule-name order
 */
public record Route(List<Policy> policies, IsolationPool pool, List<Breaker> breakers) {

    static final Route NONE = new Route(List.of(), null, List.of());

    /** Whether nothing applies: the request passes untouched. */
    @SuppressWarnings("ReferenceEquality") // NONE is the sentinel for "no rule matched", not any empty route
    public boolean isEmpty() {
        return this == NONE;
    }
}
