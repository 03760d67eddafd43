package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import io.github.bucket4j.TimeMeter;

/**
 * A policy as it runs: fixed, or with limits that a {@link LimitResolver} may change. Entry points
 * bind their policies once at deployment and ask each for its {@link #current()} policy per request.
 *
 * <p>A resolver is consulted at deployment and then at most once per interval, by the first request
 * that finds the interval elapsed; the other requests of that moment go on with the limits in force
 * and never wait for it. When the answer changes, the next policy carries a higher
 * {@link Policy#configurationVersion()}, so the store reconfigures each live bucket on its next use
 * instead of resetting it.
 *
 * <p>Thread-safe.
 */
public final class LivePolicy {

    private static final System.Logger LOG = System.getLogger(LivePolicy.class.getName());

    private final Policy configured;
    private final LimitResolver resolver;
    private final long intervalNanos;
    private final TimeMeter clock;
    private final AtomicReference<State> state;

    /** The policy in force, the expression it came from ({@code null}: as configured) and when to ask again. */
    private record State(Policy policy, String expression, long nextCheckNanos) {
    }

    private LivePolicy(Policy configured, LimitResolver resolver, Duration interval, TimeMeter clock) {
        this.configured = configured;
        this.resolver = resolver;
        this.intervalNanos = interval == null ? 0 : interval.toNanos();
        this.clock = clock;
        this.state = new AtomicReference<>(new State(configured, null, 0));
    }

    /** A policy whose limits never change. */
    static LivePolicy fixed(Policy policy) {
        return new LivePolicy(requireNonNull(policy, "policy"), null, null, null);
    }

    /**
     * A policy whose limits {@code resolver} decides, consulted now and then at most once per
     * {@code interval} of {@code clock}.
     *
     * @throws IllegalArgumentException if the resolver's first answer fails, is not a limit
     *     expression, or makes the cost exceed a capacity
     */
    static LivePolicy resolved(Policy configured, LimitResolver resolver, Duration interval, TimeMeter clock) {
        requireNonNull(resolver, "resolver");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("resolver interval must be positive, was " + interval);
        }
        LivePolicy live = new LivePolicy(requireNonNull(configured, "configured"), resolver, interval, requireNonNull(clock, "clock"));
        long now = clock.currentTimeNanos();
        String expression;
        try {
            expression = resolver.limit(configured.name(), instant(now));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("resolver " + resolver.getClass().getName() + " failed: " + e, e);
        }
        Policy first = live.policyFor(expression, 0);
        live.state.set(new State(first, expression, now + live.intervalNanos));
        return live;
    }

    /** Whether the limits never change: no resolver. */
    boolean isFixed() {
        return resolver == null;
    }

    /** The policy's name, which no resolver changes. */
    public String name() {
        return configured.name();
    }

    /** The policy in force now; may consult the resolver if its interval has elapsed. */
    public Policy current() {
        State seen = state.get();
        if (resolver == null) {
            return seen.policy;
        }
        long now = clock.currentTimeNanos();
        if (now - seen.nextCheckNanos < 0) {
            return seen.policy;
        }
        // Claim this interval's consultation: one request wins, the others keep the policy in force.
        State claimed = new State(seen.policy, seen.expression, now + intervalNanos);
        if (!state.compareAndSet(seen, claimed)) {
            return state.get().policy;
        }
        String expression;
        Policy next;
        try {
            expression = resolver.limit(name(), instant(now));
            if (Objects.equals(expression, seen.expression)) {
                return seen.policy;
            }
            long version = Math.max(seen.policy.configurationVersion() + 1, now / 1_000_000);
            next = policyFor(expression, version);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sluice policy '" + name() + "': resolver " + resolver.getClass().getName()
                    + " failed; keeping limit '" + seen.policy.limits() + "'", e);
            return seen.policy;
        }
        state.compareAndSet(claimed, new State(next, expression, claimed.nextCheckNanos));
        return next;
    }

    private Policy policyFor(String expression, long version) {
        Limits limits = expression == null ? configured.limits() : Limits.parse(expression);
        return configured.withLimits(limits, version);
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    @Override
    public String toString() {
        return state.get().policy.toString();
    }
}
