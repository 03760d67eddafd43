package dev.sluice.core;

import java.time.Instant;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The service-provider interface for limits that change while the application runs, such as a
 * lower limit during peak hours. The engine asks it for a policy's limit expression at deployment
 * and then at most once per the policy's resolver interval ({@code sluice.policy.<name>.resolver-interval},
 * default one minute); when the answer changes, the policy's live buckets are reconfigured on their
 * next use and keep the tokens they hold (none is reset).
 *
 * <p>Name one with {@code sluice.policy.<name>.resolver=com.example.PeakHours} or, on a JAX-RS
 * resource, {@code @RateLimit(resolver = PeakHours.class)}; the class needs a public no-argument
 * constructor.
 *
 * <p>Implementations must be thread-safe. The engine never calls one concurrently for the same
 * policy, but one resolver may serve several policies.
 */
@FunctionalInterface
@NullMarked
public interface LimitResolver {

    /**
     * Returns the limit expression in force at {@code now} (the syntax of {@link Limits#parse}),
     * or {@code null} for the policy's configured limit. A bad expression or an exception at
     * deployment stops deployment; later, it is logged and the current limits stay in force.
     *
     * @param policy the policy's name
     * @param now the engine clock's time
     */
    @Nullable String limit(String policy, Instant now);
}
