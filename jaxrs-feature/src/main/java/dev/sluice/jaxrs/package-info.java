/**
 * The JAX-RS entry point: the {@link dev.sluice.jaxrs.RateLimit}, {@link dev.sluice.jaxrs.Isolated}
 * and {@link dev.sluice.jaxrs.CircuitBreaker} annotations on resource classes and methods, read once
 * at deployment by {@link dev.sluice.jaxrs.SluiceFeature}, a {@code DynamicFeature} that registers
 * pre-built filters on the annotated methods only, and {@link dev.sluice.jaxrs.IsolationContext}.
 * Only the standard JAX-RS and Servlet APIs are used here (an ArchUnit test holds it); moving a
 * resource method onto a pool is left to an {@link dev.sluice.jaxrs.IsolationAdapter} per
 * implementation, in the sub-packages. The decisions and the responses are the engine's
 * ({@code dev.sluice.core}), shared with the servlet filter.
 */
package dev.sluice.jaxrs;
