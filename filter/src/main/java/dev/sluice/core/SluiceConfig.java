package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Sluice's configuration: the {@code sluice.*} keys of a properties file, each of which a JVM
 * system property of the same name overrides. Parsing validates everything at once, so a typo
 * stops deployment instead of leaving an endpoint unlimited: unknown keys under {@code sluice.}
 * are errors too.
 *
 * <p>A policy ({@code sluice.policy.<name>.*}) with a {@code path} is a rule of the servlet filter
 * and applies at least one of a {@code limit}, a {@code pool} and a {@code breaker}. A policy
 * without a path overrides, field by field, the policy of that name that an annotation declares
 * ({@code @RateLimit} on a JAX-RS resource), so operators retune without recompiling. Such an
 * override must be claimed by an annotation, or deployment fails (see
 * {@link Sluice#unclaimedOverrides()}). Pools ({@code sluice.pool.<name>.*}) and circuit breakers
 * ({@code sluice.breaker.<name>.*}) are defined once and named by policies.
 *
 * <p>Immutable and thread-safe.
 */
public final class SluiceConfig {

    /** Names the configuration file when the entry point is given none. */
    public static final String CONFIG_LOCATION = "sluice.config";

    static final String STORE = "sluice.store";
    static final String LOCAL_MAX_KEYS = "sluice.local.max-keys";
    static final String TRUSTED_PROXIES = "sluice.trusted-proxies";
    static final String CLIENT_IP_HEADER = "sluice.client-ip-header";
    static final String HEADERS = "sluice.headers";
    static final String POLICY_PREFIX = "sluice.policy.";
    static final String POOL_PREFIX = "sluice.pool.";
    static final String BREAKER_PREFIX = "sluice.breaker.";
    /** The source of an entry that a JVM system property set. */
    static final String SYSTEM_PROPERTY = "-D system property";

    /** The keys outside every section; each is read in {@link #parseEntries(Map, Map, String)}. */
    private static final Set<String> GLOBAL_KEYS = Set.of(CONFIG_LOCATION, STORE, LOCAL_MAX_KEYS, TRUSTED_PROXIES,
            CLIENT_IP_HEADER, HEADERS);
    /** The sections whose keys read {@code prefix<name>.<field>}, with their fields. */
    private static final Map<String, Set<String>> SECTIONS = Map.of(
            POLICY_PREFIX, Set.of("path", "methods", "limit", "key", "cost", "enforce", "enabled", "resolver",
                    "resolver-interval", "pool", "breaker"),
            POOL_PREFIX, Set.of("threads", "queue", "timeout", "mode"),
            BREAKER_PREFIX, Set.of("failure-rate", "consecutive-failures", "window", "minimum-calls", "open-for",
                    "half-open-calls", "slow-call", "failures"));
    /** Names a store provider cannot take: its prefix would collide with Sluice's own keys. */
    static final Set<String> RESERVED_NAMES = Set.of("config", "store", "local", "trusted-proxies", "headers",
            "policy", "pool", "breaker", "client-ip-header", "jaxrs");
    private static final long DEFAULT_MAX_KEYS = 100_000;

    private final StoreSection store;
    private final long localMaxKeys;
    private final TrustedProxies trustedProxies;
    private final HeaderStyle headerStyle;
    private final Map<String, ConfiguredPolicy> configured;
    private final List<PathRule> rules;
    private final List<PoolSpec> pools;
    private final List<BreakerSpec> breakers;
    /** The {@code sluice.*} entries as given, by key. */
    private final Map<String, String> entries;
    /** Where each entry came from, by key; entries given in code have none. */
    private final Map<String, String> sources;
    /** The file that was loaded, named for a problem of no key; {@code null} for entries given in code. */
    private final String fallbackSource;

    private SluiceConfig(StoreSection store, long localMaxKeys, TrustedProxies trustedProxies, HeaderStyle headerStyle,
            Map<String, ConfiguredPolicy> configured, List<PathRule> rules, List<PoolSpec> pools, List<BreakerSpec> breakers,
            Map<String, String> entries, Map<String, String> sources, String fallbackSource) {
        this.store = store;
        this.localMaxKeys = localMaxKeys;
        this.trustedProxies = trustedProxies;
        this.headerStyle = headerStyle;
        this.configured = Collections.unmodifiableMap(new TreeMap<>(configured));
        this.rules = List.copyOf(rules);
        this.pools = List.copyOf(pools);
        this.breakers = List.copyOf(breakers);
        this.entries = Map.copyOf(entries);
        this.sources = Map.copyOf(sources);
        this.fallbackSource = fallbackSource;
    }

    /**
     * Reads the {@code sluice.*} entries of {@code file}, each overridden by a system property of the
     * same name; system properties under {@code sluice.} that the file lacks are added.
     *
     * @param source where the file came from, such as {@code /WEB-INF/sluice.properties}: messages name
     *     it for the file's entries, and {@code -D system property} for the others
     * @throws ConfigurationException naming the source, the key and the value of the first problem found
     */
    public static SluiceConfig load(Properties file, String source) {
        requireNonNull(source, "source");
        Map<String, String> merged = new TreeMap<>();
        Map<String, String> sources = new HashMap<>();
        copySluiceEntries(file, source, merged, sources);
        copySluiceEntries(System.getProperties(), SYSTEM_PROPERTY, merged, sources);
        return parse(merged, sources, source);
    }

    /**
     * Parses configuration entries exactly as given, without system properties; messages name no
     * source, since the caller holds the entries.
     *
     * @throws ConfigurationException naming the key and value of the first problem found
     */
    public static SluiceConfig parse(Map<String, String> entries) {
        return parse(requireNonNull(entries, "entries"), Map.of(), null);
    }

    private static SluiceConfig parse(Map<String, String> entries, Map<String, String> sources, String fallbackSource) {
        try {
            return parseEntries(entries, sources, fallbackSource);
        } catch (ConfigurationException e) {
            throw locate(e, sources, fallbackSource);
        }
    }

    private static SluiceConfig parseEntries(Map<String, String> entries, Map<String, String> sources, String fallbackSource) {
        Map<String, BucketStoreProvider> providers = StoreSection.providers(entries.get(STORE));
        Map<String, Map<String, Map<String, String>>> sections = new TreeMap<>();
        Map<String, Map<String, String>> storeFields = new TreeMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith("sluice.") || GLOBAL_KEYS.contains(key)) {
                continue;
            }
            BucketStoreProvider provider = providerOf(key, providers);
            if (provider != null) {
                String field = key.substring(StoreSection.prefix(provider.name()).length());
                Set<String> fields = StoreSection.fieldsOf(provider);
                if (!fields.contains(field)) {
                    throw new ConfigurationException(key, entry.getValue(), "unknown key; expected "
                            + StoreSection.prefix(provider.name()) + "<field> with a field among " + String.join(", ", fields));
                }
                storeFields.computeIfAbsent(provider.name(), n -> new TreeMap<>()).put(field, entry.getValue().trim());
                continue;
            }
            String section = SECTIONS.keySet().stream().filter(key::startsWith).findFirst()
                    .orElseThrow(() -> unknownKey(key, entry.getValue(), providers));
            // Names may contain dots; the field is whatever follows the last one.
            int dot = key.lastIndexOf('.');
            String name = key.substring(section.length(), Math.max(dot, section.length()));
            String field = key.substring(dot + 1);
            if (name.isEmpty() || !SECTIONS.get(section).contains(field)) {
                throw new ConfigurationException(key, entry.getValue(), "unknown key; expected "
                        + section + "<name>.<field> with a field among " + String.join(", ", new TreeSet<>(SECTIONS.get(section))));
            }
            sections.computeIfAbsent(section, n -> new TreeMap<>())
                    .computeIfAbsent(name, n -> new TreeMap<>()).put(field, entry.getValue().trim());
        }

        StoreSection store = StoreSection.parse(entries.get(STORE), providers, storeFields);
        String maxKeysText = entries.get(LOCAL_MAX_KEYS);
        long maxKeys = maxKeysText == null ? DEFAULT_MAX_KEYS : ConfigValues.positiveLong(LOCAL_MAX_KEYS, maxKeysText);
        TrustedProxies trusted;
        try {
            trusted = TrustedProxies.parse(entries.get(TRUSTED_PROXIES));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(TRUSTED_PROXIES, entries.get(TRUSTED_PROXIES), e.getMessage());
        }
        try {
            trusted = trusted.withClientIpHeader(
                    entries.getOrDefault(CLIENT_IP_HEADER, TrustedProxies.DEFAULT_CLIENT_IP_HEADER).trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(CLIENT_IP_HEADER, entries.get(CLIENT_IP_HEADER), e.getMessage());
        }
        HeaderStyle headers;
        try {
            headers = HeaderStyle.parse(entries.getOrDefault(HEADERS, "ietf"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(HEADERS, entries.get(HEADERS), e.getMessage());
        }

        List<PoolSpec> pools = new ArrayList<>();
        sections.getOrDefault(POOL_PREFIX, Map.of()).forEach((name, fields) -> pools.add(PoolSpec.parse(name, fields)));
        List<BreakerSpec> breakers = new ArrayList<>();
        sections.getOrDefault(BREAKER_PREFIX, Map.of()).forEach((name, fields) -> breakers.add(BreakerSpec.parse(name, fields)));
        Set<String> poolNames = new TreeSet<>();
        pools.forEach(pool -> poolNames.add(pool.name()));
        Set<String> breakerNames = new TreeSet<>();
        breakers.forEach(breaker -> breakerNames.add(breaker.name()));

        Map<String, ConfiguredPolicy> configured = new TreeMap<>();
        List<PathRule> rules = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> group : sections.getOrDefault(POLICY_PREFIX, Map.of()).entrySet()) {
            ConfiguredPolicy policy = ConfiguredPolicy.parse(group.getKey(), group.getValue(), trusted, poolNames, breakerNames);
            configured.put(policy.name(), policy);
            PathRule rule = policy.rule();
            if (rule != null) {
                rules.add(rule);
            }
        }
        PathRule.checkOnePoolPerRequest(rules);
        return new SluiceConfig(store, maxKeys, trusted, headers, configured, rules, pools, breakers, entries, sources, fallbackSource);
    }

    /** The provider whose prefix {@code key} starts with, or {@code null}. */
    private static BucketStoreProvider providerOf(String key, Map<String, BucketStoreProvider> providers) {
        for (BucketStoreProvider provider : providers.values()) {
            if (key.startsWith(StoreSection.prefix(provider.name()))) {
                return provider;
            }
        }
        return null;
    }

    private static ConfigurationException unknownKey(String key, String value, Map<String, BucketStoreProvider> providers) {
        List<String> expected = new ArrayList<>(new TreeSet<>(GLOBAL_KEYS));
        for (String section : List.of(POLICY_PREFIX, POOL_PREFIX, BREAKER_PREFIX)) {
            expected.add(section + "<name>.<field>");
        }
        providers.keySet().forEach(name -> expected.add(StoreSection.prefix(name) + "<field>"));
        return new ConfigurationException(key, value, "unknown key; expected one of "
                + String.join(", ", expected.subList(0, expected.size() - 1)) + " or " + expected.get(expected.size() - 1));
    }

    /**
     * The problem with the source of the keys it names in front (else the fallback, if any), unless
     * it names its source already.
     */
    private static ConfigurationException locate(ConfigurationException problem, Map<String, String> sources,
            String fallbackSource) {
        if (problem.located()) {
            return problem;
        }
        Set<String> named = new LinkedHashSet<>();
        for (String key : problem.keys()) {
            String source = sources.get(key);
            if (source != null) {
                named.add(source);
            }
        }
        if (named.isEmpty() && fallbackSource != null) {
            named.add(fallbackSource);
        }
        return named.isEmpty() ? problem : problem.from(String.join(" and ", named));
    }

    /** A problem found after parsing (opening the store, applying an override), with the source of its keys. */
    ConfigurationException locate(ConfigurationException problem) {
        return locate(problem, sources, fallbackSource);
    }

    /**
     * Opens a configuration file named {@code classpath:NAME} (through the thread's context class
     * loader) or {@code file:PATH}.
     *
     * @return the stream, or {@code null} if no such class-path resource exists
     * @throws NoSuchFileException if no such file exists
     * @throws IllegalArgumentException if the location has neither prefix
     */
    public static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String name = location.substring("classpath:".length());
            name = name.startsWith("/") ? name.substring(1) : name;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return (loader != null ? loader : SluiceConfig.class.getClassLoader()).getResourceAsStream(name);
        }
        if (location.startsWith("file:")) {
            return Files.newInputStream(Path.of(location.substring("file:".length())));
        }
        throw new IllegalArgumentException("unsupported configuration location '" + location
                + "': expected classpath:... or file:...");
    }

    private static void copySluiceEntries(Properties properties, String source, Map<String, String> target,
            Map<String, String> sources) {
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("sluice.")) {
                target.put(name, properties.getProperty(name));
                sources.put(name, source);
            }
        }
    }

    /** {@code sluice.store}: {@code local} (the default) or the name of a {@link BucketStoreProvider}. */
    String store() {
        return store.store();
    }

    /** The provider of the store in use, or {@code null} for the local store. */
    BucketStoreProvider storeProvider() {
        return store.provider();
    }

    /** What the provider in use made of its settings, for {@link BucketStoreProvider#open}. */
    Object storeSettings() {
        return store.settingsInUse();
    }

    /**
     * The settings that the bucket store provider of that name made of its {@code sluice.<name>.*}
     * keys, defaults included, whether or not it is the store in use: for {@code hazelcast}, a
     * {@code dev.sluice.hazelcast.HazelcastSettings}.
     *
     * @return the settings, or {@code null} if no provider of that name is on the classpath
     */
    public Object storeSettings(String provider) {
        return store.settings(requireNonNull(provider, "provider"));
    }

    /** What the engine answers while the store in use is unavailable ({@code sluice.<store>.fault-mode}, default local). */
    FaultMode faultMode() {
        return store.faultMode();
    }

    /** The most buckets the local store keeps ({@code sluice.local.max-keys}, default 100000). */
    public long localMaxKeys() {
        return localMaxKeys;
    }

    /**
     * The proxies whose client address header is believed ({@code sluice.trusted-proxies}), and
     * that header ({@code sluice.client-ip-header}).
     */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** Which rate-limit headers to send ({@code sluice.headers}, default {@code ietf}). */
    public HeaderStyle headerStyle() {
        return headerStyle;
    }

    /** The filter's rate-limit policies (enabled, with a {@code path} and a {@code limit}), ordered by name. */
    public List<Policy> policies() {
        return rules.stream().map(PathRule::policy).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * The names of the policies configured without a {@code path}: overrides of policies that
     * annotations declare, ordered by name.
     */
    List<String> overrideNames() {
        return configured.values().stream().filter(ConfiguredPolicy::isOverride).map(ConfiguredPolicy::name).toList();
    }

    /**
     * The problem of the configured override {@code name}, located at its first key: the message
     * reads {@code source: key=value: problem}.
     */
    ConfigurationException overrideProblem(String name, String problem) {
        String prefix = configured.get(name).prefix();
        String key = new TreeMap<>(entries).keySet().stream().filter(k -> k.startsWith(prefix)
                && k.indexOf('.', prefix.length()) < 0).findFirst().orElseThrow();
        return locate(new ConfigurationException(key, entries.get(key), problem));
    }

    /** The {@code sluice.policy.<name>.*} group of that name, or {@code null}. */
    ConfiguredPolicy configured(String name) {
        return configured.get(name);
    }

    List<PathRule> rules() {
        return rules;
    }

    /** The configured isolation pools, ordered by name. */
    List<PoolSpec> pools() {
        return pools;
    }

    /** The configured circuit breakers, ordered by name. */
    List<BreakerSpec> breakers() {
        return breakers;
    }
}
