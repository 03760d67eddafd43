package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import io.github.bucket4j.TimeMeter;

/**
 * The engine of one web application: its configuration, its bucket store and its clock. Both entry
 * points (the servlet filter and the JAX-RS feature) share one engine per application, so one
 * application never runs two stores.
 *
 * <p>The store is the one {@code sluice.store} names: {@code local}, or a store kept outside this
 * JVM that a {@link BucketStoreProvider} opens ({@code hazelcast}). While such a store is
 * unavailable, the fault mode ({@code sluice.hazelcast.fault-mode}) decides; see {@link RateLimiter}.
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
        this.store = builder.store != null ? builder.store : openStore(config, clock, builder.hazelcastInstance);
        this.rateLimiter = new RateLimiter(store, StoreFaults.of(config.faultMode(), clock, config.localMaxKeys()));
        this.rules = config.rules().toArray(PathRule[]::new);
    }

    /** Starts an engine for the given configuration. */
    public static Builder builder(SluiceConfig config) {
        return new Builder(config);
    }

    private static BucketStore openStore(SluiceConfig config, TimeMeter clock, Object instance) {
        if (config.store().equals("local")) {
            return LocalBucketStore.create(config.localMaxKeys(), clock);
        }
        for (BucketStoreProvider provider : ServiceLoader.load(BucketStoreProvider.class, Sluice.class.getClassLoader())) {
            if (provider.name().equals(config.store())) {
                return provider.open(config, clock, instance);
            }
        }
        throw new ConfigurationException(SluiceConfig.STORE, config.store(), "no bucket store of that name on the classpath");
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

    /**
     * Whether the bucket store is believed available: {@code false} while a remote store is
     * unavailable and the fault mode answers instead. Always {@code true} for the local store.
     */
    public boolean storeAvailable() {
        return rateLimiter.storeAvailable();
    }

    /** How many requests the fail-open fault mode has admitted unchecked since the engine started. */
    public long failOpenAdmissions() {
        return rateLimiter.failOpenAdmissions();
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
        private Object hazelcastInstance;

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

        /**
         * The application's own {@code com.hazelcast.core.HazelcastInstance} (a member or a client),
         * for {@code sluice.hazelcast.mode=provided}. Typed {@code Object} so that the engine does
         * not depend on Hazelcast. Sluice never shuts it down. Register Sluice's serializers in its
         * configuration before starting it ({@code dev.sluice.hazelcast.SluiceHazelcast}).
         */
        public Builder hazelcastInstance(Object instance) {
            this.hazelcastInstance = requireNonNull(instance, "instance");
            return this;
        }

        /**
         * Builds the engine, opening its store.
         *
         * @throws ConfigurationException if the store cannot be opened as configured
         */
        public Sluice build() {
            return new Sluice(this);
        }
    }
}
