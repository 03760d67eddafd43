package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.bucket4j.TimeMeter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * A circuit breaker (Resilience4j) in front of one class of requests: when too many of them fail,
 * it opens and refuses them at once for {@code open-for}, without reaching the application; then it
 * lets a few probe requests through (half-open) and closes again if they succeed.
 *
 * <p>What counts as a failure is configured: a 5xx response, an exception, a pool timeout, and
 * optionally any call slower than {@code slow-call}.
 *
 * <p>Thread-safe.
 */
public final class Breaker {

    /** How a request through the breaker ended. */
    public enum Outcome {
        /** Any status below 500. */
        SUCCESS,
        /** A 5xx status. */
        SERVER_ERROR,
        /** The application threw. */
        EXCEPTION,
        /** The request ran out of its pool's time. */
        TIMEOUT
    }

    private static final System.Logger LOG = System.getLogger(Breaker.class.getName());
    @SuppressWarnings("StaticAssignmentOfThrowable") // stackless and immutable: one instance serves every report
    private static final Throwable FAILURE = new StacklessFailure();

    private final String name;
    private final CircuitBreaker circuitBreaker;
    private final Set<Outcome> failures;
    private final long slowCallNanos;
    private final Duration openFor;
    private final TimeMeter clock;
    private final LongAdder notPermitted = new LongAdder();
    private volatile long openUntilNanos;

    Breaker(String name, CircuitBreakerConfig.Builder config, Set<Outcome> failures, Duration slowCall,
            Duration openFor, TimeMeter clock) {
        this.name = requireNonNull(name, "name");
        this.failures = Set.copyOf(EnumSet.copyOf(failures));
        this.slowCallNanos = slowCall == null ? Long.MAX_VALUE : slowCall.toNanos();
        this.openFor = openFor;
        this.clock = clock;
        this.circuitBreaker = CircuitBreaker.of(name, config
                // Resilience4j lets the probe through strictly after the wait: one nanosecond less
                // makes it pass at exactly open-for, when Retry-After told the client to come back.
                .waitDurationInOpenState(openFor.minusNanos(1))
                .clock(new MeterClock(clock))
                .build());
        circuitBreaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                openUntilNanos = clock.currentTimeNanos() + openFor.toNanos();
            }
            LOG.log(System.Logger.Level.INFO, "Sluice circuit breaker {0}: {1}", name, event.getStateTransition());
        });
    }

    /** The breaker's name. */
    public String name() {
        return name;
    }

    /**
     * Asks to let a request through. Every {@code true} must be followed by exactly one
     * {@link #record} or {@link #cancel}.
     */
    public boolean tryEnter() {
        if (circuitBreaker.tryAcquirePermission()) {
            return true;
        }
        notPermitted.increment();
        return false;
    }

    /** Reports how a permitted request ended and how long it took. */
    public void record(Outcome outcome, long durationNanos) {
        if (failures.contains(outcome) || durationNanos > slowCallNanos) {
            circuitBreaker.onError(durationNanos, TimeUnit.NANOSECONDS, FAILURE);
        } else {
            circuitBreaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Gives back a permission for a request that was refused before it ran (by a rate limit, say). */
    public void cancel() {
        circuitBreaker.releasePermission();
    }

    /** For a refusal: whole seconds until the breaker lets a probe through, at least 1. */
    public long retryAfterSeconds() {
        long left = openUntilNanos - clock.currentTimeNanos();
        return Math.max(1, (left + 999_999_999) / 1_000_000_000);
    }

    /** {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}. */
    public String state() {
        return circuitBreaker.getState().name();
    }

    /** A snapshot of the breaker's state. */
    public BreakerStats stats() {
        CircuitBreaker.Metrics metrics = circuitBreaker.getMetrics();
        return new BreakerStats(name, state(), metrics.getNumberOfBufferedCalls(), metrics.getFailureRate(), notPermitted.sum());
    }

    /** The configured open time. */
    public Duration openFor() {
        return openFor;
    }

    @Override
    public String toString() {
        return "Breaker[" + name + ", " + state() + "]";
    }

    /** A {@link Clock} over the engine's meter, so Resilience4j's open time follows the manual clock in tests. */
    private static final class MeterClock extends Clock {
        private final TimeMeter meter;

        MeterClock(TimeMeter meter) {
            this.meter = meter;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(0, meter.currentTimeNanos());
        }
    }

    /** The throwable Resilience4j records for a failed call; no stack trace, never thrown. */
    private static final class StacklessFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StacklessFailure() {
            super("request failed", null, false, false);
        }
    }
}
