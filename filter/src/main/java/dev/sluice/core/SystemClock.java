package dev.sluice.core;

import io.github.bucket4j.TimeMeter;

/**
 * The one place that reads the system's time. Everything else receives a {@link TimeMeter}, so
 * tests can substitute a {@link ManualClock}.
 */
public final class SystemClock {

    private SystemClock() {
    }

    /**
     * Wall-clock time in milliseconds (reported as nanoseconds): the default engine clock, and the
     * only kind Bucket4j accepts for buckets shared across JVMs.
     */
    public static TimeMeter wallClock() {
        return TimeMeter.SYSTEM_MILLISECONDS;
    }
}
