/**
 * The JAX-RS entry point: the {@link dev.sluice.jaxrs.RateLimit} annotation on resource classes and
 * methods, read once at deployment by {@link dev.sluice.jaxrs.SluiceFeature}, a
 * {@code DynamicFeature} that registers pre-built filters on the limited methods only. Only the
 * standard JAX-RS and Servlet APIs are used here; the decisions and the response are the engine's
 * ({@code dev.sluice.core}), shared with the servlet filter.
 */
package dev.sluice.jaxrs;
