package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
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

    private static final Set<String> GLOBAL_KEYS = Set.of(CONFIG_LOCATION, STORE, LOCAL_MAX_KEYS, TRUSTED_PROXIES, HEADERS);
    private static final Set<String> POLICY_FIELDS = Set.of("path", "methods", "limit", "key", "cost", "enforce", "pool", "breaker");
    private static final Set<String> POOL_FIELDS = Set.of("threads", "queue", "timeout", "mode");
    private static final Set<String> BREAKER_FIELDS = Set.of("failure-rate", "consecutive-failures", "window",
            "minimum-calls", "open-for", "half-open-calls", "slow-call", "failures");
    private static final Map<String, Set<String>> SECTIONS = Map.of(
            POLICY_PREFIX, POLICY_FIELDS, POOL_PREFIX, POOL_FIELDS, BREAKER_PREFIX, BREAKER_FIELDS);
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final long DEFAULT_MAX_KEYS = 100_000;

    private final long localMaxKeys;
    private final TrustedProxies trustedProxies;
    private final HeaderStyle headerStyle;
    private final List<PathRule> rules;
    private final List<PoolSpec> pools;
    private final List<BreakerSpec> breakers;

    private SluiceConfig(long localMaxKeys, TrustedProxies trustedProxies, HeaderStyle headerStyle, List<PathRule> rules,
            List<PoolSpec> pools, List<BreakerSpec> breakers) {
        this.localMaxKeys = localMaxKeys;
        this.trustedProxies = trustedProxies;
        this.headerStyle = headerStyle;
        this.rules = List.copyOf(rules);
        this.pools = List.copyOf(pools);
        this.breakers = List.copyOf(breakers);
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
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith("sluice.") || GLOBAL_KEYS.contains(key)) {
                continue;
            }
            String section = SECTIONS.keySet().stream().filter(key::startsWith).findFirst().orElseThrow(() ->
                    new ConfigurationException(key, entry.getValue(), "unknown key; expected one of "
                            + String.join(", ", new TreeSet<>(GLOBAL_KEYS)) + ", " + POLICY_PREFIX + "<name>.<field>, "
                            + POOL_PREFIX + "<name>.<field> or " + BREAKER_PREFIX + "<name>.<field>"));
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
        Map<String, Map<String, String>> policies = sections.getOrDefault(POLICY_PREFIX, Map.of());

        String store = entries.getOrDefault(STORE, "local").trim();
        if (!store.equalsIgnoreCase("local")) {
            throw new ConfigurationException(STORE, store, "unknown store; expected local");
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

        List<PathRule> rules = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> policy : policies.entrySet()) {
            rules.add(rule(policy.getKey(), policy.getValue(), trusted, poolNames, breakerNames));
        }
        checkOnePoolPerRequest(rules);
        return new SluiceConfig(maxKeys, trusted, headers, rules, pools, breakers);
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

    private static PathRule rule(String name, Map<String, String> fields, TrustedProxies trusted,
            Set<String> poolNames, Set<String> breakerNames) {
        String prefix = POLICY_PREFIX + name + ".";
        String pool = reference(prefix + "pool", fields.get("pool"), "pool", poolNames);
        String breaker = reference(prefix + "breaker", fields.get("breaker"), "breaker", breakerNames);
        String limitText = fields.get("limit");
        if (limitText == null && pool == null && breaker == null) {
            throw new ConfigurationException("policy '" + name + "' does nothing: set " + prefix
                    + "limit (for example 100/minute), " + prefix + "pool or " + prefix + "breaker");
        }
        Policy.Builder builder;
        try {
            builder = Policy.builder(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("policy '" + name + "' (" + prefix + "*): " + e.getMessage());
        }
        Policy policy = limitText == null ? null : policy(builder, prefix, fields, trusted);
        List<PathPattern> paths = paths(name, prefix, fields.get("path"));
        Set<String> methods = methods(prefix, fields.get("methods"));
        return new PathRule(name, policy, paths, methods, pool, breaker);
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

    private static Policy policy(Policy.Builder builder, String prefix, Map<String, String> fields, TrustedProxies trusted) {
        String limitText = fields.get("limit");
        try {
            builder.limits(Limits.parse(limitText));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(prefix + "limit", limitText, e.getMessage());
        }
        String keyText = fields.getOrDefault("key", "ip");
        ClientKey key;
        try {
            key = ClientKey.parse(keyText, trusted);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(prefix + "key", keyText, e.getMessage());
        }
        if (key.usesPathParameters()) {
            throw new ConfigurationException(prefix + "key", keyText,
                    "path parameters exist only for JAX-RS resources; use @RateLimit(key = \"path:NAME\") there");
        }
        builder.key(key);
        if (fields.containsKey("cost")) {
            builder.cost(positiveLong(prefix + "cost", fields.get("cost")));
        }
        if (fields.containsKey("enforce")) {
            builder.enforce(bool(prefix + "enforce", fields.get("enforce")));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(prefix + "cost", fields.getOrDefault("cost", "1"), e.getMessage());
        }
    }

    private static List<PathPattern> paths(String name, String prefix, String pathText) {
        if (pathText == null || pathText.isBlank()) {
            throw new ConfigurationException("policy '" + name + "' has no path: set " + prefix
                    + "path to the url-patterns it limits, for example /api/*");
        }
        List<PathPattern> paths = new ArrayList<>();
        for (String pattern : pathText.split(",")) {
            try {
                paths.add(PathPattern.parse(pattern.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(prefix + "path", pathText, e.getMessage());
            }
        }
        return paths;
    }

    private static Set<String> methods(String prefix, String methodsText) {
        Set<String> methods = new LinkedHashSet<>();
        if (methodsText != null) {
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

    static boolean bool(String key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(key, text, "expected true or false");
        };
    }

    private static void copySluiceEntries(Properties source, Map<String, String> target) {
        for (String name : source.stringPropertyNames()) {
            if (name.startsWith("sluice.")) {
                target.put(name, source.getProperty(name));
            }
        }
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

    /** Every configured rate-limit policy, ordered by name. */
    public List<Policy> policies() {
        return rules.stream().map(PathRule::policy).filter(java.util.Objects::nonNull).toList();
    }

    /** The configured isolation pools, ordered by name. */
    List<PoolSpec> pools() {
        return pools;
    }

    /** The configured circuit breakers, ordered by name. */
    List<BreakerSpec> breakers() {
        return breakers;
    }

    List<PathRule> rules() {
        return rules;
    }
}
