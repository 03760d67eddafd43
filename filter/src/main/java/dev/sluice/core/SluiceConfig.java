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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sluice's configuration: the {@code sluice.*} keys of a properties file, each of which a JVM
 * system property of the same name overrides. Parsing validates everything at once, so a typo
 * stops deployment instead of leaving an endpoint unlimited: unknown keys under {@code sluice.}
 * are errors too.
 *
 * <p>A policy ({@code sluice.policy.<name>.*}) with a {@code path} is the servlet filter's and
 * needs a {@code limit}. A policy without one overrides, field by field, the policy of that name
 * that an annotation declares ({@code @RateLimit} on a JAX-RS resource), so operators retune
 * without recompiling. Such an override must be claimed by an annotation, or deployment fails
 * (see {@link Sluice#unclaimedOverrides()}). Fields: {@code path}, {@code methods}, {@code limit},
 * {@code key}, {@code cost}, {@code enforce}, {@code enabled} ({@code false} switches the policy
 * off), {@code resolver} (a {@link LimitResolver} class) and {@code resolver-interval}.
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

    private static final Set<String> GLOBAL_KEYS = Set.of(CONFIG_LOCATION, STORE, LOCAL_MAX_KEYS, TRUSTED_PROXIES, HEADERS);
    private static final Set<String> POLICY_FIELDS = Set.of("path", "methods", "limit", "key", "cost", "enforce",
            "enabled", "resolver", "resolver-interval");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([A-Za-z]+)");
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final long DEFAULT_MAX_KEYS = 100_000;

    private final long localMaxKeys;
    private final TrustedProxies trustedProxies;
    private final HeaderStyle headerStyle;
    private final Map<String, ConfiguredPolicy> configured;
    private final List<PathRule> rules;

    private SluiceConfig(long localMaxKeys, TrustedProxies trustedProxies, HeaderStyle headerStyle,
            Map<String, ConfiguredPolicy> configured) {
        this.localMaxKeys = localMaxKeys;
        this.trustedProxies = trustedProxies;
        this.headerStyle = headerStyle;
        this.configured = Collections.unmodifiableMap(new TreeMap<>(configured));
        List<PathRule> pathRules = new ArrayList<>();
        for (ConfiguredPolicy policy : configured.values()) {
            if (!policy.isOverride() && policy.enabled()) {
                pathRules.add(new PathRule(policy.applyTo(Policy.builder(policy.name()).limits(policy.limits()).build()),
                        policy.paths(), policy.methods(), policy.resolver(), policy.interval()));
            }
        }
        this.rules = List.copyOf(pathRules);
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
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith("sluice.") || GLOBAL_KEYS.contains(key)) {
                continue;
            }
            if (!key.startsWith(POLICY_PREFIX)) {
                throw new ConfigurationException(key, entry.getValue(), "unknown key; expected one of "
                        + String.join(", ", new TreeSet<>(GLOBAL_KEYS)) + " or " + POLICY_PREFIX + "<name>.<field>");
            }
            int dot = key.lastIndexOf('.');
            // Policy names may contain dots; the field is whatever follows the last one.
            String name = key.substring(POLICY_PREFIX.length(), Math.max(dot, POLICY_PREFIX.length()));
            String field = key.substring(dot + 1);
            if (name.isEmpty() || !POLICY_FIELDS.contains(field)) {
                throw new ConfigurationException(key, entry.getValue(), "unknown key; expected "
                        + POLICY_PREFIX + "<name>.<field> with a field among " + String.join(", ", new TreeSet<>(POLICY_FIELDS)));
            }
            policies.computeIfAbsent(name, n -> new TreeMap<>()).put(field, entry.getValue().trim());
        }

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

        Map<String, ConfiguredPolicy> configured = new TreeMap<>();
        for (Map.Entry<String, Map<String, String>> policy : policies.entrySet()) {
            configured.put(policy.getKey(), policy(policy.getKey(), policy.getValue(), trusted));
        }
        return new SluiceConfig(maxKeys, trusted, headers, configured);
    }

    private static ConfiguredPolicy policy(String name, Map<String, String> fields, TrustedProxies trusted) {
        String prefix = POLICY_PREFIX + name + ".";
        try {
            Policy.builder(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("policy '" + name + "' (" + prefix + "*): " + e.getMessage());
        }
        String pathText = fields.get("path");
        boolean filterPolicy = pathText != null;

        Limits limits = null;
        String limitText = fields.get("limit");
        if (limitText != null) {
            try {
                limits = Limits.parse(limitText);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(prefix + "limit", limitText, e.getMessage());
            }
        } else if (filterPolicy) {
            throw new ConfigurationException("policy '" + name + "' has no limit: set " + prefix + "limit, for example 100/minute");
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
        LimitResolver resolver = null;
        String resolverText = fields.get("resolver");
        if (resolverText != null) {
            resolver = instantiate(prefix + "resolver", resolverText);
        }
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

        List<PathPattern> paths = new ArrayList<>();
        if (filterPolicy) {
            if (pathText.isBlank()) {
                throw new ConfigurationException(prefix + "path", pathText,
                        "expected the url-patterns the policy limits, for example /api/*");
            }
            for (String pattern : pathText.split(",")) {
                try {
                    paths.add(PathPattern.parse(pattern.trim()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(prefix + "path", pathText, e.getMessage());
                }
            }
        }
        Set<String> methods = new LinkedHashSet<>();
        String methodsText = fields.get("methods");
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
        ConfiguredPolicy configured = new ConfiguredPolicy(name, limits, key, cost, enforce, enabled, resolver,
                interval, List.copyOf(paths), Set.copyOf(methods));
        if (filterPolicy) {
            // A filter policy must be valid on its own: the defaults fill what is not set.
            configured.applyTo(Policy.builder(name).limits(limits).build());
        }
        return configured;
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

    /** Parses {@code 30s}, {@code 5 minutes}, {@code 1h}: a positive count and a unit of {@link Limits}. */
    static Duration duration(String key, String text) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (matcher.matches()) {
            try {
                long count = Long.parseLong(matcher.group(1));
                Duration unit = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                    case "ms", "millis" -> Duration.ofMillis(1);
                    case "s", "sec", "second", "seconds" -> Duration.ofSeconds(1);
                    case "m", "min", "minute", "minutes" -> Duration.ofMinutes(1);
                    case "h", "hour", "hours" -> Duration.ofHours(1);
                    default -> null;
                };
                if (unit != null && count > 0) {
                    return unit.multipliedBy(count);
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        throw new ConfigurationException(key, text, "expected a positive duration such as 500ms, 30s, 5m or 1h");
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

    /** The filter's policies (those with a {@code path} that are enabled), ordered by name. */
    public List<Policy> policies() {
        return rules.stream().map(PathRule::policy).toList();
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
}
