package dev.sluice.core;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A configured rule of the servlet filter: the requests it applies to (paths and methods) and what
 * it applies: a rate-limit policy (with the resolver, or {@code null}, that may change its limits),
 * an isolation pool, a circuit breaker, each optional.
 */
record PathRule(String name, Policy policy, List<PathPattern> paths, Set<String> methods, String pool, String breaker,
        LimitResolver resolver, Duration resolverInterval) {

    PathRule {
        paths = List.copyOf(paths);
        methods = Set.copyOf(methods);
    }

    boolean matches(String method, String path) {
        if (!methods.isEmpty() && !methods.contains(method)) {
            return false;
        }
        for (PathPattern pattern : paths) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some request could match both rules. */
    boolean overlaps(PathRule other) {
        if (!methods.isEmpty() && !other.methods.isEmpty() && methods.stream().noneMatch(other.methods::contains)) {
            return false;
        }
        for (PathPattern mine : paths) {
            for (PathPattern theirs : other.paths) {
                if (mine.overlaps(theirs)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Refuses two rules that name different pools and can match one request: a request runs on at
     * most one pool.
     */
    static void checkOnePoolPerRequest(List<PathRule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                PathRule a = rules.get(i);
                PathRule b = rules.get(j);
                if (a.pool() != null && b.pool() != null && !a.pool().equals(b.pool()) && a.overlaps(b)) {
                    throw ConfigurationException.about(
                            List.of(SluiceConfig.POLICY_PREFIX + a.name() + ".pool", SluiceConfig.POLICY_PREFIX + b.name() + ".pool"),
                            "policies '" + a.name() + "' (pool " + a.pool() + ") and '" + b.name() + "' (pool " + b.pool()
                                    + ") can match the same request, which can run on only one pool; make their paths or methods disjoint");
                }
            }
        }
    }
}
