package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.TimeMeter;
import org.jspecify.annotations.NullMarked;

/**
 * A clock that moves only when told to: a testing hook, so tests simulate minutes of traffic in
 * microseconds without sleeping. It starts at the current wall-clock time and reports itself as
 * wall-clock based, as Bucket4j's Hazelcast client clock requires.
 *
 * <p>Thread-safe.
 */
@NullMarked
public final class ManualClock implements TimeMeter {

    private final AtomicLong nanos;

    private ManualClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    /** A clock that reads the current wall-clock time until advanced. */
    public static ManualClock startingNow() {
        return new ManualClock(SystemClock.wallClock().currentTimeNanos());
    }

    /** Moves the clock forward. */
    public void advance(Duration duration) {
        requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward, not by " + duration);
        }
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
