package dev.sluice.core;

import java.util.List;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * What the engine may read of a request to choose its bucket. Each entry point (servlet filter,
 * JAX-RS feature) adapts its own request type; the engine never sees servlet or JAX-RS classes.
 *
 * <p>Implementations are used by one thread at a time and need not be thread-safe.
 */
@NullMarked
public interface RequestInfo {

    /** The address of the direct peer (the socket's remote address), as an IP literal. */
    String remoteAddress();

    /** The first value of a header, or {@code null} if absent. */
    @Nullable String header(String name);

    /** Every value of a header in the order received, possibly empty. */
    List<String> headers(String name);

    /** The name of the authenticated user, or {@code null} if the request is not authenticated. */
    @Nullable String principal();

    /** A query parameter's first value, or {@code null} if absent. */
    @Nullable String queryParameter(String name);

    /** A path parameter of the matched resource, or {@code null}; only JAX-RS resources have them. */
    default @Nullable String pathParameter(String name) {
        return null;
    }
}
