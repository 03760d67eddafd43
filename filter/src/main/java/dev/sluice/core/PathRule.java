package dev.sluice.core;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A policy applied by the servlet filter to the requests whose method and path match, with the
 * resolver (or {@code null}) that may change its limits.
 */
record PathRule(Policy policy, List<PathPattern> paths, Set<String> methods, LimitResolver resolver, Duration resolverInterval) {

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
}
