package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import io.github.bucket4j.TimeMeter;

/**
 * The engine of one web application: its configuration, its bucket store and its clock. Both entry
 * points (the servlet filter and the JAX-RS feature) share one engine per application, so one
 * application never runs two stores.
 *
 * <p>Thread-safe. Close it when the application stops.
 */
public final class Sluice implements AutoCloseable {

    private final SluiceConfig config;
    private final TimeMeter clock;
    private final BucketStore store;
    private final RateLimiter rateLimiter;
    private final PathRule[] rules;

    private Sluice(Builder builder) {
        this.config = builder.config;
        this.clock = builder.clock;
        this.store = builder.store != null ? builder.store : LocalBucketStore.create(config.localMaxKeys(), clock);
        this.rateLimiter = new RateLimiter(store);
        this.rules = config.rules().toArray(PathRule[]::new);
    }

    /** Starts an engine for the given configuration. */
    public static Builder builder(SluiceConfig config) {
        return new Builder(config);
    }

    /** Checks a request against the path rules of the configuration (the servlet filter's policies). */
    public Verdict check(String method, String path, RequestInfo request) {
        List<Policy> matching = null;
        for (PathRule rule : rules) {
            if (rule.matches(method, path)) {
                if (matching == null) {
                    matching = new ArrayList<>(2);
                }
                matching.add(rule.policy());
            }
        }
        return matching == null ? Verdict.unlimited() : rateLimiter.check(matching, request);
    }

    /** The limiter, for entry points that choose their policies themselves. */
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The configuration this engine runs. */
    public SluiceConfig config() {
        return config;
    }

    /** The engine's clock. */
    public TimeMeter clock() {
        return clock;
    }

    /** The bucket store. */
    public BucketStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }

    /** Configures a {@link Sluice} engine. Not thread-safe. */
    public static final class Builder {
        private final SluiceConfig config;
        private TimeMeter clock = SystemClock.wallClock();
        private BucketStore store;

        private Builder(SluiceConfig config) {
            this.config = requireNonNull(config, "config");
        }

        /** The clock; default {@link SystemClock#wallClock()}. Tests pass a {@link ManualClock}. */
        public Builder clock(TimeMeter clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** A store to use instead of the one the configuration names; the engine closes it. */
        public Builder store(BucketStore store) {
            this.store = requireNonNull(store, "store");
            return this;
        }

        /** Builds the engine. */
        public Sluice build() {
            return new Sluice(this);
        }
    }
}
