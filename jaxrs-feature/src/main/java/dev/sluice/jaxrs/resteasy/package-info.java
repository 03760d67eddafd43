/**
 * Sluice on RESTEasy: {@link dev.sluice.jaxrs.resteasy.RestEasyAdapter}, found through the service
 * loader, runs isolated resource methods on their pools by suspending and resuming the request's
 * filter chain, and {@link dev.sluice.jaxrs.resteasy.IsolationContextInjector} injects
 * {@code IsolationContext}. Only RESTEasy-specific code lives here; other runtimes never load it.
 */
package dev.sluice.jaxrs.resteasy;
