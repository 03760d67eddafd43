package dev.sluice.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code sluice.policy.<name>.*} group as validated: a rule of the servlet filter when it has
 * paths (a limit, a pool, a breaker, each optional), else an override of a policy that an
 * annotation declares. Unset fields are {@code null}.
 */
record ConfiguredPolicy(
        String name,
        Limits limits,
        ClientKey key,
        Long cost,
        Boolean enforce,
        boolean enabled,
        LimitResolver resolver,
        Duration resolverInterval,
        List<PathPattern> paths,
        Set<String> methods,
        String pool,
        String breaker) {

    /** How often a resolver is consulted when {@code resolver-interval} is not set. */
    static final Duration DEFAULT_RESOLVER_INTERVAL = Duration.ofMinutes(1);

    /**
     * Parses the fields of {@code sluice.policy.<name>.*}.
     *
     * @param poolNames the configured pools, which {@code pool} may name
     * @param breakerNames the configured breakers, which {@code breaker} may name
     * @throws ConfigurationException naming the key and value of the first problem found
     */
    static ConfiguredPolicy parse(String name, Map<String, String> fields, TrustedProxies trusted,
            Set<String> poolNames, Set<String> breakerNames) {
        String prefix = SluiceConfig.POLICY_PREFIX + name + ".";
        try {
            Policy.builder(name);
        } catch (IllegalArgumentException e) {
            throw ConfigurationException.about(fields.keySet().stream().map(prefix::concat).toList(),
                    "policy '" + name + "' (" + prefix + "*): " + e.getMessage());
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
            throw ConfigurationException.about(List.of(prefix + "path"), "policy '" + name + "' does nothing: set " + prefix
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
        Long cost = fields.containsKey("cost") ? ConfigValues.positiveLong(prefix + "cost", fields.get("cost")) : null;
        Boolean enforce = fields.containsKey("enforce") ? ConfigValues.bool(prefix + "enforce", fields.get("enforce")) : null;
        boolean enabled = !fields.containsKey("enabled") || ConfigValues.bool(prefix + "enabled", fields.get("enabled"));
        String resolverText = fields.get("resolver");
        LimitResolver resolver = null;
        if (resolverText != null) {
            try {
                resolver = Instances.create(LimitResolver.class, resolverText);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(prefix + "resolver", resolverText, e.getMessage());
            }
        }
        Duration interval = null;
        String intervalText = fields.get("resolver-interval");
        if (intervalText != null) {
            // An override may time the resolver its annotation names; a filter policy has only this file.
            if (resolverText == null && filterPolicy) {
                throw new ConfigurationException(prefix + "resolver-interval", intervalText,
                        "a resolver interval needs a resolver: set " + prefix + "resolver too");
            }
            interval = ConfigValues.duration(prefix + "resolver-interval", intervalText);
        }
        if (filterPolicy && limits == null) {
            for (String field : new String[] {"key", "cost", "enforce", "resolver"}) {
                if (fields.containsKey(field)) {
                    throw new ConfigurationException(prefix + field, fields.get(field),
                            "belongs to a rate limit, and policy '" + name + "' has none: set " + prefix + "limit");
                }
            }
        }
        String methodsText = fields.get("methods");
        if (methodsText != null && !filterPolicy) {
            throw new ConfigurationException(prefix + "methods", methodsText, "methods only narrow a path: set "
                    + prefix + "path too (a JAX-RS resource method has its HTTP method already)");
        }
        List<PathPattern> paths = filterPolicy ? paths(prefix, pathText) : List.of();
        Set<String> methods = methodsText == null ? Set.of() : HttpMethods.parse(prefix + "methods", methodsText);
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

    /** The rule of the servlet filter this policy is, or {@code null} for an override or a disabled policy. */
    PathRule rule() {
        if (isOverride() || !enabled) {
            return null;
        }
        Policy limited = limits == null ? null : applyTo(Policy.builder(name).limits(limits).build());
        return new PathRule(name, limited, paths, methods, pool, breaker, resolver, interval());
    }

    /** Whether this group only overrides a declared policy (it has no path). */
    boolean isOverride() {
        return paths.isEmpty();
    }

    String prefix() {
        return SluiceConfig.POLICY_PREFIX + name + ".";
    }

    Duration interval() {
        return resolverInterval != null ? resolverInterval : DEFAULT_RESOLVER_INTERVAL;
    }

    /**
     * The declared policy with every field set here put in its place.
     *
     * @throws ConfigurationException if the result is not a valid policy (a cost above a capacity)
     */
    Policy applyTo(Policy declared) {
        Policy.Builder builder = Policy.builder(declared.name())
                .limits(limits != null ? limits : declared.limits())
                .key(key != null ? key : declared.key())
                .cost(cost != null ? cost : declared.cost())
                .enforce(enforce != null ? enforce : declared.enforce());
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            String field = cost != null ? "cost" : "limit";
            throw new ConfigurationException(prefix() + field, field.equals("cost") ? cost.toString()
                    : String.valueOf(limits), e.getMessage());
        }
    }
}
