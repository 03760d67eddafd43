package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
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
    static final String HAZELCAST_PREFIX = "sluice.hazelcast.";

    private static final Set<String> GLOBAL_KEYS = Set.of(CONFIG_LOCATION, STORE, LOCAL_MAX_KEYS, TRUSTED_PROXIES, HEADERS);
    private static final Set<String> POLICY_FIELDS = Set.of("path", "methods", "limit", "key", "cost", "enforce");
    private static final Set<String> HAZELCAST_FIELDS = Set.of(
            "mode", "cluster-name", "port", "interface", "members", "config", "map", "timeout", "fault-mode");
    /** The fields that describe the network of a grid Sluice starts, which a full Hazelcast file replaces. */
    private static final List<String> NETWORK_FIELDS = List.of("cluster-name", "port", "interface", "members");
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern IPV4_WILDCARD = Pattern.compile("(\\d{1,3}|\\*)(\\.(\\d{1,3}|\\*)){3}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final long DEFAULT_MAX_KEYS = 100_000;

    private final String store;
    private final long localMaxKeys;
    private final TrustedProxies trustedProxies;
    private final HeaderStyle headerStyle;
    private final List<PathRule> rules;
    private final HazelcastSettings hazelcast;
    private final FaultMode faultMode;

    private SluiceConfig(String store, long localMaxKeys, TrustedProxies trustedProxies, HeaderStyle headerStyle,
            List<PathRule> rules, HazelcastSettings hazelcast, FaultMode faultMode) {
        this.store = store;
        this.localMaxKeys = localMaxKeys;
        this.trustedProxies = trustedProxies;
        this.headerStyle = headerStyle;
        this.rules = List.copyOf(rules);
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
        Map<String, Map<String, String>> policies = new TreeMap<>();
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
            if (!key.startsWith(POLICY_PREFIX)) {
                throw new ConfigurationException(key, entry.getValue(), "unknown key; expected one of "
                        + String.join(", ", new TreeSet<>(GLOBAL_KEYS)) + ", " + HAZELCAST_PREFIX + "<field> or "
                        + POLICY_PREFIX + "<name>.<field>");
            }
            int dot = key.lastIndexOf('.');
            String name = key.substring(POLICY_PREFIX.length(), Math.max(dot, POLICY_PREFIX.length()));
            String field = key.substring(dot + 1);
            if (name.isEmpty() || !POLICY_FIELDS.contains(field)) {
                throw new ConfigurationException(key, entry.getValue(), "unknown key; expected "
                        + POLICY_PREFIX + "<name>.<field> with a field among " + String.join(", ", new TreeSet<>(POLICY_FIELDS)));
            }
            policies.computeIfAbsent(name, n -> new TreeMap<>()).put(field, entry.getValue().trim());
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

        List<PathRule> rules = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> policy : policies.entrySet()) {
            rules.add(rule(policy.getKey(), policy.getValue(), trusted));
        }
        return new SluiceConfig(store, maxKeys, trusted, headers, rules, hazelcast, faultMode);
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
        if (inUse) {
            checkFieldsFitMode(fields, mode);
        }
        return new HazelcastSettings(mode, clusterName, port, networkInterface, members, configLocation, map, timeout);
    }

    private static void checkFieldsFitMode(Map<String, String> fields, HazelcastSettings.Mode mode) {
        if (mode == HazelcastSettings.Mode.PROVIDED) {
            for (String field : List.of("cluster-name", "port", "interface", "members", "config")) {
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

    private static Duration duration(String key, String text) {
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            Duration duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            if (!duration.isZero()) {
                return duration;
            }
        }
        throw new ConfigurationException(key, text, "expected a positive duration such as 100ms, 2s or 1m");
    }

    private static PathRule rule(String name, Map<String, String> fields, TrustedProxies trusted) {
        String prefix = POLICY_PREFIX + name + ".";
        String limitText = fields.get("limit");
        if (limitText == null) {
            throw new ConfigurationException("policy '" + name + "' has no limit: set " + prefix + "limit, for example 100/minute");
        }
        Policy.Builder builder;
        try {
            builder = Policy.builder(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("policy '" + name + "' (" + prefix + "*): " + e.getMessage());
        }
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
        Policy policy;
        try {
            policy = builder.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(prefix + "cost", fields.getOrDefault("cost", "1"), e.getMessage());
        }

        String pathText = fields.get("path");
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
        Set<String> methods = new LinkedHashSet<>();
        String methodsText = fields.get("methods");
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
        return new PathRule(policy, paths, Set.copyOf(methods));
    }

    private static long positiveLong(String key, String text) {
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

    private static boolean bool(String key, String text) {
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

    /** Every configured policy, ordered by name. */
    public List<Policy> policies() {
        return rules.stream().map(PathRule::policy).toList();
    }

    List<PathRule> rules() {
        return rules;
    }
}
