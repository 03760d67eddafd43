package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.bucket4j.TimeMeter;

/**
 * The engine of one web application: its configuration, its bucket store and its clock. Both entry
 * points (the servlet filter and the JAX-RS feature) share one engine per application, so one
 * application never runs two stores.
 *
 * <p>The filter's policies come from the configuration's path rules ({@link #check(String, String,
 * RequestInfo)}); the feature declares its policies once at deployment ({@link #declare}) and checks
 * each request against the ones bound to the matched resource method ({@link #check(List,
 * RequestInfo)}).
 *
 * <p>The store is the one {@code sluice.store} names: {@code local}, or a store kept outside this
 * JVM that a {@link BucketStoreProvider} opens ({@code hazelcast}). While such a store is
 * unavailable, the fault mode ({@code sluice.hazelcast.fault-mode}) decides; see {@link RateLimiter}.
 *
 * <p>Thread-safe. Close it when the application stops.
 */
public final class Sluice implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Sluice.class.getName());

    private final SluiceConfig config;
    private final TimeMeter clock;
    private final BucketStore store;
    private final RateLimiter rateLimiter;
    private final PathRule[] rules;
    private final LivePolicy[] rulePolicies;
    private final IsolationPool[] rulePools;
    private final Breaker[] ruleBreakers;
    /** The route of a request that rule i alone matches, when it never changes; else null. */
    private final Route[] singleRuleRoutes;
    private final Map<String, IsolationPool> pools = new TreeMap<>();
    private final Map<String, Breaker> breakers = new TreeMap<>();
    private final ScheduledExecutorService timer;
    /** The pools and breakers that a rule or an annotation uses, by name. */
    private final Set<String> usedPools = ConcurrentHashMap.newKeySet();
    private final Set<String> usedBreakers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean startChecked = new AtomicBoolean();
    /** Declared policies by name; guarded by {@code this}. */
    private final Map<String, Declared> declared = new HashMap<>();

    private record Declared(Policy policy, Class<?> resolverType, String origin, LivePolicy live) {
    }

    private Sluice(Builder builder) {
        this.config = builder.config;
        this.clock = builder.clock;
        this.store = builder.store != null ? builder.store : openStore(config, clock, builder.hazelcastInstance);
        // Whatever fails from here on, nothing the engine started outlives it.
        ScheduledExecutorService timeouts = null;
        try {
            this.rateLimiter = new RateLimiter(store, StoreFaults.of(config.faultMode(), clock, config.localMaxKeys()));
            this.rules = config.rules().toArray(PathRule[]::new);
            this.rulePolicies = new LivePolicy[rules.length];
            for (int i = 0; i < rules.length; i++) {
                PathRule rule = rules[i];
                if (rule.policy() == null) {
                    continue;
                }
                try {
                    rulePolicies[i] = rule.resolver() == null ? LivePolicy.fixed(rule.policy())
                            : LivePolicy.resolved(rule.policy(), rule.resolver(), rule.resolverInterval(), clock);
                } catch (IllegalArgumentException e) {
                    throw config.locate(new ConfigurationException(SluiceConfig.POLICY_PREFIX + rule.name() + ".resolver",
                            rule.resolver().getClass().getName(), e.getMessage()));
                }
            }
            timeouts = config.pools().isEmpty() ? null : Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "sluice-timeouts");
                thread.setDaemon(true);
                return thread;
            });
            this.timer = timeouts;
            config.pools().forEach(spec -> pools.put(spec.name(), spec.create(Scheduler.on(timer))));
            config.breakers().forEach(spec -> breakers.put(spec.name(), spec.create(clock)));
            this.rulePools = new IsolationPool[rules.length];
            this.ruleBreakers = new Breaker[rules.length];
            for (int i = 0; i < rules.length; i++) {
                rulePools[i] = rules[i].pool() == null ? null : pool(rules[i].pool());
                ruleBreakers[i] = rules[i].breaker() == null ? null : breaker(rules[i].breaker());
            }
            this.singleRuleRoutes = new Route[rules.length];
            for (int i = 0; i < rules.length; i++) {
                if (rulePolicies[i] == null || rulePolicies[i].isFixed()) {
                    singleRuleRoutes[i] = routeOf(i, i + 1, null, null);
                }
            }
        } catch (RuntimeException | Error e) {
            pools.values().forEach(IsolationPool::close);
            if (timeouts != null) {
                timeouts.shutdownNow();
            }
            store.close();
            throw e;
        }
    }

    private static BucketStore openStore(SluiceConfig config, TimeMeter clock, Object instance) {
        BucketStoreProvider provider = config.storeProvider();
        if (provider == null) {
            return LocalBucketStore.create(config.localMaxKeys(), clock);
        }
        try {
            return provider.open(config.storeSettings(), clock, instance);
        } catch (ConfigurationException e) {
            throw config.locate(e);
        }
    }

    /** Starts an engine for the given configuration. */
    public static Builder builder(SluiceConfig config) {
        return new Builder(config);
    }

    /** What the configuration's path rules apply to a request with this method and path. */
    public Route route(String method, String path) {
        int first = nextMatch(0, method, path);
        if (first < 0) {
            return Route.NONE;
        }
        int second = nextMatch(first + 1, method, path);
        if (second < 0 && singleRuleRoutes[first] != null) {
            return singleRuleRoutes[first];
        }
        return routeOf(first, second < 0 ? first + 1 : rules.length, method, path);
    }

    private int nextMatch(int from, String method, String path) {
        for (int i = from; i < rules.length; i++) {
            if (rules[i].matches(method, path)) {
                return i;
            }
        }
        return -1;
    }

    /** The route of rule {@code first}, which matched, and of the rules after it up to {@code end} that match. */
    private Route routeOf(int first, int end, String method, String path) {
        List<Policy> policies = null;
        IsolationPool pool = null;
        List<Breaker> matchedBreakers = null;
        for (int i = first; i < end; i++) {
            if (i != first && !rules[i].matches(method, path)) {
                continue;
            }
            if (rulePolicies[i] != null) {
                policies = add(policies, rulePolicies[i].current());
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
        return new Route(policies == null ? List.of() : List.copyOf(policies), pool,
                matchedBreakers == null ? List.of() : List.copyOf(matchedBreakers));
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

    /** The configured circuit breakers, by name. */
    public Map<String, Breaker> breakers() {
        return Collections.unmodifiableMap(breakers);
    }

    /** A configured breaker by name, or {@code null}; an entry point that applies it asks here, which marks it used. */
    public Breaker breaker(String name) {
        Breaker breaker = breakers.get(name);
        if (breaker != null) {
            usedBreakers.add(name);
        }
        return breaker;
    }

    /** A configured pool by name, or {@code null}; an entry point that runs work on it asks here, which marks it used. */
    public IsolationPool pool(String name) {
        IsolationPool pool = pools.get(name);
        if (pool != null) {
            usedPools.add(name);
        }
        return pool;
    }

    /**
     * Called by the entry points on the first request they serve, once every entry point has bound
     * its rules and annotations: logs one WARNING for each configured pool or breaker that nothing
     * uses (no policy, no {@code @Isolated}, no {@code @CircuitBreaker}), most likely a misspelt name.
     * Later calls do nothing; the first costs a scan of the names, every later one a volatile read.
     *
     * @return the unused pools and breakers as logged ({@code pool 'name'}, {@code breaker 'name'}),
     *     empty on every call but the first
     */
    public List<String> checkUnusedOnce() {
        if (startChecked.get() || !startChecked.compareAndSet(false, true)) {
            return List.of();
        }
        List<String> unused = new ArrayList<>();
        pools.keySet().stream().filter(name -> !usedPools.contains(name)).forEach(name -> unused.add("pool '" + name + "'"));
        breakers.keySet().stream().filter(name -> !usedBreakers.contains(name))
                .forEach(name -> unused.add("breaker '" + name + "'"));
        for (String item : unused) {
            String kind = item.startsWith("pool") ? "pool" : "breaker";
            LOG.log(Level.WARNING, "Sluice: " + item + " is configured but nothing uses it (no policy names it"
                    + (kind.equals("pool") ? " and no @Isolated" : " and no @CircuitBreaker")
                    + "); is its name misspelt where it is used?");
        }
        return unused;
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

    /**
     * Checks a request against policies bound at deployment (a resource method's); every one must
     * admit it.
     */
    public Verdict check(List<LivePolicy> policies, RequestInfo request) {
        int count = policies.size();
        if (count == 1) {
            return rateLimiter.check(List.of(policies.get(0).current()), request);
        }
        List<Policy> current = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            current.add(policies.get(i).current());
        }
        return rateLimiter.check(current, request);
    }

    /**
     * Binds a policy declared in code (a JAX-RS annotation) at deployment: the configuration's
     * override of that name ({@code sluice.policy.<name>.*} without a {@code path}) replaces the
     * fields it sets and is marked claimed; a configured resolver replaces the declared one.
     * Declaring one name again with the same values returns the same live policy, so its buckets
     * and its resolver are shared.
     *
     * @param policy the policy as declared, before configuration
     * @param resolver the declared resolver, or {@code null}
     * @param origin where it was declared, for messages, such as {@code OrderResource#get}
     * @return the policy as it will run, or {@code null} if the configuration switches it off
     *     ({@code enabled=false})
     * @throws ConfigurationException if the name belongs to a filter policy, was declared elsewhere
     *     with other values, or the override or the resolver makes it invalid
     */
    public synchronized LivePolicy declare(Policy policy, LimitResolver resolver, String origin) {
        requireNonNull(policy, "policy");
        requireNonNull(origin, "origin");
        String name = policy.name();
        Class<?> resolverType = resolver == null ? null : resolver.getClass();
        Declared previous = declared.get(name);
        if (previous != null) {
            if (!previous.policy.sameDeclaration(policy) || previous.resolverType != resolverType) {
                throw new ConfigurationException("policy '" + name + "' is declared twice with different values: "
                        + previous.policy + (previous.resolverType == null ? "" : " resolved by " + previous.resolverType.getName())
                        + " at " + previous.origin + ", and " + policy
                        + (resolverType == null ? "" : " resolved by " + resolverType.getName()) + " at " + origin);
            }
            return previous.live;
        }
        ConfiguredPolicy configured = config.configured(name);
        if (configured != null && !configured.isOverride()) {
            throw new ConfigurationException("policy '" + name + "' declared at " + origin
                    + " is also configured with a path (" + configured.prefix() + "path) for the servlet filter;"
                    + " give one of them another name");
        }
        LivePolicy live = null;
        if (configured == null || configured.enabled()) {
            Policy effective;
            try {
                effective = configured == null ? policy : configured.applyTo(policy);
            } catch (ConfigurationException e) {
                throw config.locate(e);
            }
            LimitResolver effectiveResolver = configured != null && configured.resolver() != null ? configured.resolver() : resolver;
            if (effectiveResolver == null && configured != null && configured.resolverInterval() != null) {
                throw config.locate(new ConfigurationException(configured.prefix() + "resolver-interval",
                        configured.resolverInterval().toString(), "policy '" + name + "' declared at " + origin
                        + " has no resolver to time: set " + configured.prefix() + "resolver or @RateLimit(resolver = ...)"));
            }
            if (effectiveResolver == null) {
                live = LivePolicy.fixed(effective);
            } else {
                try {
                    live = LivePolicy.resolved(effective, effectiveResolver,
                            configured != null ? configured.interval() : ConfiguredPolicy.DEFAULT_RESOLVER_INTERVAL, clock);
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("policy '" + name + "' declared at " + origin + ": " + e.getMessage());
                }
            }
        }
        declared.put(name, new Declared(policy, resolverType, origin, live));
        return live;
    }

    /**
     * The configured overrides (policies without a {@code path}) that no declared policy has
     * claimed yet, ordered by name. Each is a mistake once every entry point has deployed: it
     * limits nothing.
     */
    public synchronized List<String> unclaimedOverrides() {
        List<String> unclaimed = new ArrayList<>();
        for (String name : config.overrideNames()) {
            if (!declared.containsKey(name)) {
                unclaimed.add(name);
            }
        }
        return unclaimed;
    }

    /**
     * The deployment failure of an unclaimed override (see {@link #unclaimedOverrides()}): a
     * one-line message naming where its first key came from (the file or {@code -D system
     * property}), that key and its value, then {@code problem}.
     *
     * @param name an override that {@link #unclaimedOverrides()} returned
     * @param problem what is wrong and how to fix it
     */
    public ConfigurationException unclaimedOverride(String name, String problem) {
        requireNonNull(name, "name");
        requireNonNull(problem, "problem");
        if (config.configured(name) == null || !config.configured(name).isOverride()) {
            throw new IllegalArgumentException("no configured override named '" + name + "'");
        }
        return config.overrideProblem(name, problem);
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
