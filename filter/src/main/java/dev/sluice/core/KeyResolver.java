package dev.sluice.core;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The service-provider interface for custom bucket keys: given a request, names the client whose
 * bucket it draws from (a tenant, an account, a device).
 *
 * <p>Configure one with {@code key=class:com.example.TenantKey}; the class needs a public no-argument
 * constructor. It may stand in a fallback list ({@code class:com.example.TenantKey,ip}): returning
 * {@code null} passes to the next entry. Values longer than 256 characters are hashed.
 *
 * <p>Implementations must be thread-safe and fast: they run on every limited request.
 */
@FunctionalInterface
@NullMarked
public interface KeyResolver {

    /**
     * Returns the request's key, or {@code null} when this resolver cannot name the client.
     * Must not throw for anything a client can send.
     */
    @Nullable String resolve(RequestInfo request);
}
