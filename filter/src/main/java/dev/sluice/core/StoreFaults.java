package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.bucket4j.TimeMeter;

/**
 * The engine's view of its bucket store's health, and what it answers while the store is away.
 *
 * <p>The store is either available or not. While it is, every request uses it. The first
 * {@link StoreUnavailableException} makes it unavailable; from then on requests get the fault
 * mode's answer at once, and one request per {@link #RETRY_INTERVAL_SECONDS} probes the store
 * again; the first probe that succeeds makes it available. Each change is logged once.
 *
 * <p>Late answers must not flip the state back: a request that started while the store was
 * available may fail after a probe has already brought it back. So the state is an epoch, even
 * while available and odd while not; an attempt remembers the epoch it started in, and only an
 * attempt from the current epoch may end it (a failure from an even one, a success from an odd one).
 *
 * <p>Thread-safe and lock-free.
 */
final class StoreFaults {

    /** How often a request probes an unavailable store; also the {@code Retry-After} of a fail-closed 503. */
    static final long RETRY_INTERVAL_SECONDS = 1;

    /** Returned by {@link #attempt()} when the request must not use the store. */
    static final long SKIP = -1;

    private static final Logger LOG = System.getLogger(StoreFaults.class.getName());
    private static final long RETRY_INTERVAL_NANOS = RETRY_INTERVAL_SECONDS * 1_000_000_000L;

    private final FaultMode mode;
    private final TimeMeter clock;
    private final BucketStore fallback;
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong nextProbeNanos = new AtomicLong();
    private final LongAdder failOpenAdmissions = new LongAdder();
    private volatile long unavailableSinceNanos;
    private volatile long failOpenAdmissionsBefore;

    private StoreFaults(FaultMode mode, TimeMeter clock, BucketStore fallback) {
        this.mode = mode;
        this.clock = clock;
        this.fallback = fallback;
    }

    /** Handles faults in {@code mode}; the local mode keeps at most {@code localMaxKeys} buckets of its own. */
    static StoreFaults of(FaultMode mode, TimeMeter clock, long localMaxKeys) {
        requireNonNull(mode, "mode");
        requireNonNull(clock, "clock");
        return new StoreFaults(mode, clock, mode == FaultMode.LOCAL ? LocalBucketStore.create(localMaxKeys, clock) : null);
    }

    FaultMode mode() {
        return mode;
    }

    /** The buckets of the local fault mode; {@code null} in the other modes. */
    BucketStore fallback() {
        return fallback;
    }

    /**
     * Whether this request should use the store: the epoch to pass back to {@link #succeeded} or
     * {@link #failed}, or {@link #SKIP} while the store is unavailable and no probe is due.
     */
    long attempt() {
        long current = epoch.get();
        if ((current & 1) == 0) {
            return current;
        }
        long due = nextProbeNanos.get();
        long now = clock.currentTimeNanos();
        if (now - due >= 0 && nextProbeNanos.compareAndSet(due, now + RETRY_INTERVAL_NANOS)) {
            return current;
        }
        return SKIP;
    }

    /** The store answered an attempt made in {@code attemptEpoch}. */
    void succeeded(long attemptEpoch) {
        if ((attemptEpoch & 1) == 1 && epoch.compareAndSet(attemptEpoch, attemptEpoch + 1)) {
            long seconds = (clock.currentTimeNanos() - unavailableSinceNanos) / 1_000_000_000L;
            long unchecked = failOpenAdmissions.sum() - failOpenAdmissionsBefore;
            LOG.log(Level.INFO, "Sluice bucket store is available again after " + seconds + " s"
                    + (mode == FaultMode.FAIL_OPEN ? "; " + unchecked + " requests were admitted unchecked meanwhile" : "")
                    + "; limits are enforced on the store again");
        }
    }

    /** The store failed an attempt made in {@code attemptEpoch}. */
    void failed(long attemptEpoch, StoreUnavailableException cause) {
        if ((attemptEpoch & 1) == 0) {
            long now = clock.currentTimeNanos();
            nextProbeNanos.set(now + RETRY_INTERVAL_NANOS);
            if (epoch.compareAndSet(attemptEpoch, attemptEpoch + 1)) {
                unavailableSinceNanos = now;
                failOpenAdmissionsBefore = failOpenAdmissions.sum();
                LOG.log(Level.WARNING, "Sluice bucket store is unavailable (" + cause.getMessage() + "); fault mode "
                        + mode + ": " + mode.behaviour() + " until it is back, probing it every "
                        + RETRY_INTERVAL_SECONDS + " s");
            }
        }
    }

    /** Counts a request admitted without a check in the fail-open mode. */
    void admittedUnchecked() {
        failOpenAdmissions.increment();
    }

    /** Whether the store is believed available. */
    boolean available() {
        return (epoch.get() & 1) == 0;
    }

    /** Requests admitted unchecked in the fail-open mode since the engine started. */
    long failOpenAdmissions() {
        return failOpenAdmissions.sum();
    }
}
