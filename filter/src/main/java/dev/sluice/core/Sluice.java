package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

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
    private final IsolationPool[] rulePools;
    private final Breaker[] ruleBreakers;
    private final Map<String, IsolationPool> pools = new TreeMap<>();
    private final Map<String, Breaker> breakers = new TreeMap<>();
    private final ScheduledExecutorService timer;

    private Sluice(Builder builder) {
        this.config = builder.config;
        this.clock = builder.clock;
        this.store = builder.store != null ? builder.store : LocalBucketStore.create(config.localMaxKeys(), clock);
        this.rateLimiter = new RateLimiter(store);
        this.rules = config.rules().toArray(PathRule[]::new);
        this.timer = config.pools().isEmpty() ? null : Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sluice-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        config.pools().forEach(spec -> pools.put(spec.name(), spec.create(timer)));
        config.breakers().forEach(spec -> breakers.put(spec.name(), spec.create(clock)));
        this.rulePools = new IsolationPool[rules.length];
        this.ruleBreakers = new Breaker[rules.length];
        for (int i = 0; i < rules.length; i++) {
            rulePools[i] = rules[i].pool() == null ? null : pools.get(rules[i].pool());
            ruleBreakers[i] = rules[i].breaker() == null ? null : breakers.get(rules[i].breaker());
        }
    }

    /** Starts an engine for the given configuration. */
    public static Builder builder(SluiceConfig config) {
        return new Builder(config);
    }

    /** What the configuration's path rules apply to a request with this method and path. */
    public Route route(String method, String path) {
        List<Policy> policies = null;
        IsolationPool pool = null;
        List<Breaker> matchedBreakers = null;
        for (int i = 0; i < rules.length; i++) {
            PathRule rule = rules[i];
            if (!rule.matches(method, path)) {
                continue;
            }
            if (rule.policy() != null) {
                policies = add(policies, rule.policy());
            }
            if (ruleBreakers[i] != null && (matchedBreakers == null || !matchedBreakers.contains(ruleBreakers[i]))) {
                matchedBreakers = add(matchedBreakers, ruleBreakers[i]);
            }
            if (rulePools[i] != null) {
                pool = rulePools[i];
            }
        }
        if (policies == null && pool == null && matchedBreakers == null) {
            return Route.NONE;
        }
        return new Route(policies == null ? List.of() : policies, pool, matchedBreakers == null ? List.of() : matchedBreakers);
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> result = list == null ? new ArrayList<>(2) : list;
        result.add(item);
        return result;
    }

    /** Checks a request against the rate-limit policies of the path rules it matches. */
    public Verdict check(String method, String path, RequestInfo request) {
        return rateLimiter.check(route(method, path).policies(), request);
    }

    /** The pools that rules name, by name; pools are {@link IsolationPool#close() closed} with the engine. */
    public Map<String, IsolationPool> pools() {
        return Collections.unmodifiableMap(pools);
    }

    /** A configured breaker by name, or {@code null}. */
    public Breaker breaker(String name) {
        return breakers.get(name);
    }

    /** The state of every pool, for monitoring. */
    public List<PoolStats> poolStats() {
        return pools.values().stream().map(IsolationPool::stats).toList();
    }

    /** The state of every circuit breaker, for monitoring. */
    public List<BreakerStats> breakerStats() {
        return breakers.values().stream().map(Breaker::stats).toList();
    }

    /**
     * The rules that name a {@link PoolMode#THREADS} pool on a path that none of the given url-patterns
     * (the mappings of the servlets that run work on pools) covers: isolation that would silently not
     * happen. Each entry reads {@code policy 'name' (pool p, path /x/*)}.
     */
    public List<String> threadPoolRulesOutside(Collection<String> isolatingMappings) {
        List<PathPattern> served = new ArrayList<>();
        for (String mapping : isolatingMappings) {
            served.add(PathPattern.parse(mapping.isEmpty() ? "/" : mapping));
        }
        List<String> unserved = new ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            if (rulePools[i] == null || rulePools[i].mode() != PoolMode.THREADS) {
                continue;
            }
            for (PathPattern path : rules[i].paths()) {
                if (served.stream().noneMatch(mapping -> mapping.covers(path))) {
                    unserved.add("policy '" + rules[i].name() + "' (pool " + rulePools[i].name() + ", path " + path.pattern() + ")");
                }
            }
        }
        return unserved;
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

    /** Stops the pools' threads and the store. */
    @Override
    public void close() {
        pools.values().forEach(IsolationPool::close);
        if (timer != null) {
            timer.shutdownNow();
        }
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
