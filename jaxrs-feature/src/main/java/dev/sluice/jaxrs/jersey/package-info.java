/**
 * Sluice on Jersey: {@link dev.sluice.jaxrs.jersey.SluiceAutoDiscoverable} registers the feature and
 * {@link dev.sluice.jaxrs.jersey.JerseyIsolation}, which runs isolated resource methods on their pools
 * through Jersey's invocation-handler SPI and injects {@code IsolationContext}. Jersey loads this
 * package through {@code META-INF/services}; other runtimes never do. Only Jersey-specific code lives here.
 */
package dev.sluice.jaxrs.jersey;
