package dev.sluice.core;

import java.time.Duration;
import java.util.List;
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
