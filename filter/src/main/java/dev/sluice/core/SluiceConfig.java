package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

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
    static final String HEADERS = "sluice.headers";
    static final String POLICY_PREFIX = "sluice.policy.";
    static final String POOL_PREFIX = "sluice.pool.";
    static final String BREAKER_PREFIX = "sluice.breaker.";
    static final String HAZELCAST_PREFIX = "sluice.hazelcast.";

    private static final Set<String> GLOBAL_KEYS = Set.of(CONFIG_LOCATION, STORE, LOCAL_MAX_KEYS, TRUSTED_PROXIES, HEADERS);
    private static final Set<String> POLICY_FIELDS = Set.of("path", "methods", "limit", "key", "cost", "enforce",
            "enabled", "resolver", "resolver-interval", "pool", "breaker");
    private static final Set<String> POOL_FIELDS = Set.of("threads", "queue", "timeout", "mode");
    private static final Set<String> BREAKER_FIELDS = Set.of("failure-rate", "consecutive-failures", "window",
            "minimum-calls", "open-for", "half-open-calls", "slow-call", "failures");
    private static final Map<String, Set<String>> SECTIONS = Map.of(
            POLICY_PREFIX, POLICY_FIELDS, POOL_PREFIX, POOL_FIELDS, BREAKER_PREFIX, BREAKER_FIELDS);
    private static final Set<String> HAZELCAST_FIELDS = Set.of(
            "mode", "cluster-name", "port", "interface", "members", "config", "map", "timeout", "fault-mode", "max-keys");
    /** The fields that describe the network of a grid Sluice starts, which a full Hazelcast file replaces. */
    private static final List<String> NETWORK_FIELDS = List.of("cluster-name", "port", "interface", "members");
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern IPV4_WILDCARD = Pattern.compile("(\\d{1,3}|\\*)(\\.(\\d{1,3}|\\*)){3}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final long DEFAULT_MAX_KEYS = 100_000;

    private final String store;
    private final long localMaxKeys;
    private final TrustedProxies trustedProxies;
    private final HeaderStyle headerStyle;
    private final Map<String, ConfiguredPolicy> configured;
    private final List<PathRule> rules;
    private final List<PoolSpec> pools;
    private final List<BreakerSpec> breakers;
    private final HazelcastSettings hazelcast;
    private final FaultMode faultMode;

    private SluiceConfig(String store, long localMaxKeys, TrustedProxies trustedProxies, HeaderStyle headerStyle,
            Map<String, ConfiguredPolicy> configured, List<PathRule> rules, List<PoolSpec> pools, List<BreakerSpec> breakers,
            HazelcastSettings hazelcast, FaultMode faultMode) {
        this.store = store;
        this.localMaxKeys = localMaxKeys;
        this.trustedProxies = trustedProxies;
        this.headerStyle = headerStyle;
        this.configured = Collections.unmodifiableMap(new TreeMap<>(configured));
        this.rules = List.copyOf(rules);
        this.pools = List.copyOf(pools);
        this.breakers = List.copyOf(breakers);
        this.hazelcast = hazelcast;
        this.faultMode = faultMode;
    }

    /**
     * Reads the {@code sluice.*} entries of {@code file}, each overridden by a system property of the
     * same name; system properties under {@code sluice.} that the file lacks are added.
     *
     * @throws ConfigurationException naming the key and value of the first problem found
     */
    public static SluiceConfig load(Properties file) {
        Map<String, String> merged = new TreeMap<>();
        copySluiceEntries(file, merged);
        copySluiceEntries(System.getProperties(), merged);
        return parse(merged);
    }

    /**
     * Parses configuration entries exactly as given, without system properties.
     *
     * @throws ConfigurationException naming the key and value of the first problem found
     */
    public static SluiceConfig parse(Map<String, String> entries) {
        requireNonNull(entries, "entries");
        Map<String, Map<String, Map<String, String>>> sections = new TreeMap<>();
        Map<String, String> hazelcastFields = new TreeMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith("sluice.") || GLOBAL_KEYS.contains(key)) {
                continue;
            }
            if (key.startsWith(HAZELCAST_PREFIX)) {
                String field = key.substring(HAZELCAST_PREFIX.length());
                if (!HAZELCAST_FIELDS.contains(field)) {
                    throw new ConfigurationException(key, entry.getValue(), "unknown key; expected " + HAZELCAST_PREFIX
                            + "<field> with a field among " + String.join(", ", new TreeSet<>(HAZELCAST_FIELDS)));
                }
                hazelcastFields.put(field, entry.getValue().trim());
                continue;
            }
            String section = SECTIONS.keySet().stream().filter(key::startsWith).findFirst().orElseThrow(() ->
                    new ConfigurationException(key, entry.getValue(), "unknown key; expected one of "
                            + String.join(", ", new TreeSet<>(GLOBAL_KEYS)) + ", " + POLICY_PREFIX + "<name>.<field>, "
                            + POOL_PREFIX + "<name>.<field>, " + BREAKER_PREFIX + "<name>.<field> or "
                            + HAZELCAST_PREFIX + "<field>"));
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

        String store = entries.getOrDefault(STORE, "local").trim().toLowerCase(Locale.ROOT);
        if (!store.equals("local") && !store.equals("hazelcast")) {
            throw new ConfigurationException(STORE, entries.get(STORE), "unknown store; expected local or hazelcast");
        }
        HazelcastSettings hazelcast = hazelcast(hazelcastFields, store.equals("hazelcast"));
        FaultMode faultMode;
        try {
            faultMode = FaultMode.parse(hazelcastFields.getOrDefault("fault-mode", "local"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(HAZELCAST_PREFIX + "fault-mode", hazelcastFields.get("fault-mode"), e.getMessage());
        }
        long maxKeys = positiveLong(LOCAL_MAX_KEYS, entries.getOrDefault(LOCAL_MAX_KEYS, Long.toString(DEFAULT_MAX_KEYS)));
        TrustedProxies trusted;
        try {
            trusted = TrustedProxies.parse(entries.get(TRUSTED_PROXIES));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(TRUSTED_PROXIES, entries.get(TRUSTED_PROXIES), e.getMessage());
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
            ConfiguredPolicy policy = policy(group.getKey(), group.getValue(), trusted, poolNames, breakerNames);
            configured.put(policy.name(), policy);
            if (!policy.isOverride() && policy.enabled()) {
                Policy limited = policy.limits() == null ? null
                        : policy.applyTo(Policy.builder(policy.name()).limits(policy.limits()).build());
                rules.add(new PathRule(policy.name(), limited, policy.paths(), policy.methods(), policy.pool(),
                        policy.breaker(), policy.resolver(), policy.interval()));
            }
        }
        checkOnePoolPerRequest(rules);
        return new SluiceConfig(store, maxKeys, trusted, headers, configured, rules, pools, breakers, hazelcast, faultMode);
    }

    /**
     * Validates every {@code sluice.hazelcast.*} value; when the store is Hazelcast, also refuses
     * fields that the chosen mode would silently ignore.
     */
    private static HazelcastSettings hazelcast(Map<String, String> fields, boolean inUse) {
        String modeText = fields.getOrDefault("mode", "embedded");
        HazelcastSettings.Mode mode = switch (modeText.toLowerCase(Locale.ROOT)) {
            case "embedded" -> HazelcastSettings.Mode.EMBEDDED;
            case "client" -> HazelcastSettings.Mode.CLIENT;
            case "provided" -> HazelcastSettings.Mode.PROVIDED;
            default -> throw new ConfigurationException(HAZELCAST_PREFIX + "mode", modeText,
                    "expected embedded, client or provided");
        };
        String clusterName = name(HAZELCAST_PREFIX + "cluster-name", fields.getOrDefault("cluster-name", "sluice"));
        int port = port(HAZELCAST_PREFIX + "port", fields.getOrDefault("port", "5701"));
        String networkInterface = fields.getOrDefault("interface", "127.0.0.1");
        if (InetAddresses.parse(networkInterface) == null && !IPV4_WILDCARD.matcher(networkInterface).matches()) {
            throw new ConfigurationException(HAZELCAST_PREFIX + "interface", networkInterface,
                    "expected the IP address of a local interface, such as 10.0.0.5 (or a pattern such as 10.0.*.*)");
        }
        List<String> members = members(fields.get("members"));
        String configLocation = fields.get("config");
        if (configLocation != null && !(configLocation.startsWith("file:") && configLocation.length() > 5)
                && !(configLocation.startsWith("classpath:") && configLocation.length() > 10)) {
            throw new ConfigurationException(HAZELCAST_PREFIX + "config", configLocation,
                    "expected file:PATH or classpath:RESOURCE naming a Hazelcast .xml, .yaml or .yml file");
        }
        String map = name(HAZELCAST_PREFIX + "map", fields.getOrDefault("map", "sluice-buckets"));
        Duration timeout = duration(HAZELCAST_PREFIX + "timeout", fields.getOrDefault("timeout", "100ms"));
        Integer maxKeys = fields.containsKey("max-keys") ? bucketCount(HAZELCAST_PREFIX + "max-keys", fields.get("max-keys")) : null;
        if (inUse) {
            checkFieldsFitMode(fields, mode);
        }
        return new HazelcastSettings(mode, clusterName, port, networkInterface, members, configLocation, map, timeout, maxKeys);
    }

    private static void checkFieldsFitMode(Map<String, String> fields, HazelcastSettings.Mode mode) {
        if (mode == HazelcastSettings.Mode.PROVIDED) {
            for (String field : List.of("cluster-name", "port", "interface", "members", "config", "max-keys")) {
                if (fields.containsKey(field)) {
                    throw new ConfigurationException(HAZELCAST_PREFIX + field, fields.get(field),
                            "not used in mode provided, where the application's own HazelcastInstance is used as configured");
                }
            }
            return;
        }
        if (mode == HazelcastSettings.Mode.CLIENT) {
            for (String field : List.of("port", "interface")) {
                if (fields.containsKey(field)) {
                    throw new ConfigurationException(HAZELCAST_PREFIX + field, fields.get(field),
                            "applies only to mode embedded; a client connects to " + HAZELCAST_PREFIX + "members");
                }
            }
            if (fields.containsKey("max-keys")) {
                throw new ConfigurationException(HAZELCAST_PREFIX + "max-keys", fields.get("max-keys"),
                        "applies only to mode embedded; the cluster a client connects to bounds the bucket map in its own configuration");
            }
        }
        if (fields.containsKey("config")) {
            for (String field : NETWORK_FIELDS) {
                if (fields.containsKey(field)) {
                    throw new ConfigurationException(HAZELCAST_PREFIX + field, fields.get(field),
                            "conflicts with " + HAZELCAST_PREFIX + "config=" + fields.get("config")
                                    + "; set it in that Hazelcast file instead");
                }
            }
        } else if (mode == HazelcastSettings.Mode.CLIENT && !fields.containsKey("members")) {
            throw new ConfigurationException("mode client needs the cluster's addresses: set "
                    + HAZELCAST_PREFIX + "members, for example 10.0.0.5:5701,10.0.0.6:5701");
        }
    }

    private static List<String> members(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> members = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String member = part.trim();
            if (!isHostAndPort(member)) {
                throw new ConfigurationException(HAZELCAST_PREFIX + "members", text,
                        "expected host or host:port entries separated by commas, such as 10.0.0.5:5701,10.0.0.6:5701; found '"
                                + member + "'");
            }
            members.add(member);
        }
        return members;
    }

    private static boolean isHostAndPort(String member) {
        String host = member;
        String port = null;
        if (member.startsWith("[")) {
            int close = member.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = member.substring(0, close + 1);
            if (close + 1 < member.length()) {
                if (member.charAt(close + 1) != ':') {
                    return false;
                }
                port = member.substring(close + 2);
            }
        } else {
            int colon = member.indexOf(':');
            if (colon >= 0) {
                host = member.substring(0, colon);
                port = member.substring(colon + 1);
            }
        }
        boolean hostValid = host.startsWith("[") ? InetAddresses.parse(host) != null
                : InetAddresses.parse(host) != null || HOST_NAME.matcher(host).matches();
        return hostValid && (port == null || isPort(port));
    }

    private static int port(String key, String text) {
        if (isPort(text)) {
            return Integer.parseInt(text);
        }
        throw new ConfigurationException(key, text, "expected a port number from 1 to 65535");
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65_535;
    }

    private static String name(String key, String text) {
        if (!NAME.matcher(text).matches()) {
            throw new ConfigurationException(key, text, "expected a name of letters, digits and _ . -");
        }
        return text;
    }

    private static ConfiguredPolicy policy(String name, Map<String, String> fields, TrustedProxies trusted,
            Set<String> poolNames, Set<String> breakerNames) {
        String prefix = POLICY_PREFIX + name + ".";
        try {
            Policy.builder(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("policy '" + name + "' (" + prefix + "*): " + e.getMessage());
        }
        String pathText = fields.get("path");
        boolean filterPolicy = pathText != null;

        String pool = reference(prefix + "pool", fields.get("pool"), "pool", poolNames);
        String breaker = reference(prefix + "breaker", fields.get("breaker"), "breaker", breakerNames);
        if (!filterPolicy && (pool != null || breaker != null)) {
            String field = pool != null ? "pool" : "breaker";
            throw new ConfigurationException(prefix + field, fields.get(field), "applies to the requests of a path: set "
                    + prefix + "path too (JAX-RS resources name theirs with @Isolated and @CircuitBreaker)");
        }
        Limits limits = null;
        String limitText = fields.get("limit");
        if (limitText != null) {
            try {
                limits = Limits.parse(limitText);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(prefix + "limit", limitText, e.getMessage());
            }
        } else if (filterPolicy && pool == null && breaker == null) {
            throw new ConfigurationException("policy '" + name + "' does nothing: set " + prefix
                    + "limit (for example 100/minute), " + prefix + "pool or " + prefix + "breaker");
        }
        // A filter policy's key defaults to ip; an override leaves the declared key alone unless set.
        ClientKey key = null;
        String keyText = fields.getOrDefault("key", filterPolicy ? "ip" : null);
        if (keyText != null) {
            try {
                key = ClientKey.parse(keyText, trusted);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(prefix + "key", keyText, e.getMessage());
            }
            if (filterPolicy && key.usesPathParameters()) {
                throw new ConfigurationException(prefix + "key", keyText,
                        "path parameters exist only for JAX-RS resources; use @RateLimit(key = \"path:NAME\") there");
            }
        }
        Long cost = fields.containsKey("cost") ? positiveLong(prefix + "cost", fields.get("cost")) : null;
        Boolean enforce = fields.containsKey("enforce") ? bool(prefix + "enforce", fields.get("enforce")) : null;
        boolean enabled = !fields.containsKey("enabled") || bool(prefix + "enabled", fields.get("enabled"));
        String resolverText = fields.get("resolver");
        LimitResolver resolver = resolverText == null ? null : instantiate(prefix + "resolver", resolverText);
        Duration interval = null;
        String intervalText = fields.get("resolver-interval");
        if (intervalText != null) {
            // An override may time the resolver its annotation names; a filter policy has only this file.
            if (resolverText == null && filterPolicy) {
                throw new ConfigurationException(prefix + "resolver-interval", intervalText,
                        "a resolver interval needs a resolver: set " + prefix + "resolver too");
            }
            interval = duration(prefix + "resolver-interval", intervalText);
        }
        if (filterPolicy && limits == null) {
            for (String field : new String[] {"key", "cost", "enforce", "resolver"}) {
                if (fields.containsKey(field)) {
                    throw new ConfigurationException(prefix + field, fields.get(field),
                            "belongs to a rate limit, and policy '" + name + "' has none: set " + prefix + "limit");
                }
            }
        }

        List<PathPattern> paths = filterPolicy ? paths(prefix, pathText) : List.of();
        Set<String> methods = methods(prefix, fields.get("methods"), filterPolicy);
        ConfiguredPolicy configured = new ConfiguredPolicy(name, limits, key, cost, enforce, enabled, resolver,
                interval, paths, methods, pool, breaker);
        if (filterPolicy && limits != null) {
            // A filter policy must be valid on its own: the defaults fill what is not set.
            configured.applyTo(Policy.builder(name).limits(limits).build());
        }
        return configured;
    }

    private static String reference(String key, String value, String kind, Set<String> known) {
        if (value == null) {
            return null;
        }
        if (!known.contains(value)) {
            throw new ConfigurationException(key, value, "unknown " + kind + "; configured " + kind + "s: "
                    + (known.isEmpty() ? "none (define sluice." + kind + "." + value + ".*)" : String.join(", ", known)));
        }
        return value;
    }

    private static List<PathPattern> paths(String prefix, String pathText) {
        if (pathText.isBlank()) {
            throw new ConfigurationException(prefix + "path", pathText,
                    "expected the url-patterns the policy applies to, for example /api/*");
        }
        List<PathPattern> paths = new ArrayList<>();
        for (String pattern : pathText.split(",")) {
            try {
                paths.add(PathPattern.parse(pattern.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(prefix + "path", pathText, e.getMessage());
            }
        }
        return List.copyOf(paths);
    }

    private static Set<String> methods(String prefix, String methodsText, boolean filterPolicy) {
        Set<String> methods = new LinkedHashSet<>();
        if (methodsText != null) {
            if (!filterPolicy) {
                throw new ConfigurationException(prefix + "methods", methodsText, "methods only narrow a path: set "
                        + prefix + "path too (a JAX-RS resource method has its HTTP method already)");
            }
            for (String method : methodsText.split(",")) {
                String upper = method.trim().toUpperCase(Locale.ROOT);
                if (!METHOD.matcher(upper).matches()) {
                    throw new ConfigurationException(prefix + "methods", methodsText,
                            "expected HTTP methods such as GET,POST, found '" + method.trim() + "'");
                }
                methods.add(upper);
            }
        }
        return Set.copyOf(methods);
    }

    /** Two rules that name pools must never match one request: a request runs on at most one pool. */
    private static void checkOnePoolPerRequest(List<PathRule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                PathRule a = rules.get(i);
                PathRule b = rules.get(j);
                if (a.pool() != null && b.pool() != null && !a.pool().equals(b.pool()) && a.overlaps(b)) {
                    throw new ConfigurationException("policies '" + a.name() + "' (pool " + a.pool() + ") and '"
                            + b.name() + "' (pool " + b.pool() + ") can match the same request, which can run on"
                            + " only one pool; make their paths or methods disjoint");
                }
            }
        }
    }

    private static LimitResolver instantiate(String key, String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class<?> type = Class.forName(className.trim(), true, loader != null ? loader : SluiceConfig.class.getClassLoader());
            if (!LimitResolver.class.isAssignableFrom(type)) {
                throw new ConfigurationException(key, className, "expected a class that implements " + LimitResolver.class.getName());
            }
            return (LimitResolver) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigurationException(key, className,
                    "cannot create it through a public no-argument constructor: " + e);
        }
    }

    /** A positive duration ({@link Durations}), or an error naming the key. */
    static Duration duration(String key, String text) {
        Duration duration;
        try {
            duration = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, text, e.getMessage());
        }
        if (duration.isZero()) {
            throw new ConfigurationException(key, text, "expected a duration above zero");
        }
        return duration;
    }

    static long positiveLong(String key, String text) {
        try {
            long value = Long.parseLong(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(key, text, "expected a positive whole number");
    }

    /** A count Hazelcast takes as an {@code int}, in ASCII digits. */
    private static int bucketCount(String key, String text) {
        String digits = text.trim();
        if (digits.matches("[0-9]{1,10}")) {
            long value = Long.parseLong(digits);
            if (value > 0 && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new ConfigurationException(key, text, "expected a whole number from 1 to " + Integer.MAX_VALUE);
    }

    static boolean bool(String key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(key, text, "expected true or false");
        };
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

    private static void copySluiceEntries(Properties source, Map<String, String> target) {
        for (String name : source.stringPropertyNames()) {
            if (name.startsWith("sluice.")) {
                target.put(name, source.getProperty(name));
            }
        }
    }

    /** {@code sluice.store}: {@code local} (the default) or the name of a {@link BucketStoreProvider}. */
    String store() {
        return store;
    }

    /** The {@code sluice.hazelcast.*} settings, defaults included; used when {@code sluice.store=hazelcast}. */
    public HazelcastSettings hazelcast() {
        return hazelcast;
    }

    /** What the engine answers while a remote store is unavailable ({@code sluice.hazelcast.fault-mode}, default local). */
    FaultMode faultMode() {
        return faultMode;
    }

    /** The most buckets the local store keeps ({@code sluice.local.max-keys}, default 100000). */
    public long localMaxKeys() {
        return localMaxKeys;
    }

    /** The proxies whose forwarding headers are believed ({@code sluice.trusted-proxies}). */
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
