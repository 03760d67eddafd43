package dev.sluice.jaxrs;

import java.lang.reflect.Method;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Configuration;

/**
 * SPI: moves the resource methods Sluice isolates onto their pools, for one JAX-RS implementation.
 * Standard JAX-RS has no way to run a resource method on another thread (a request filter can only
 * abort a request), so each implementation needs an adapter; Sluice brings one for Jersey
 * ({@code dev.sluice.jaxrs.jersey}) and one for RESTEasy ({@code dev.sluice.jaxrs.resteasy}). Not for
 * applications.
 *
 * <p>The feature looks for the adapter once per application: first in the configuration property
 * {@link #PROPERTY} (Jersey's feature puts its adapter there), then through
 * {@link java.util.ServiceLoader} (RESTEasy's), taking the first that {@link #serves} the runtime.
 *
 * <p>Implementations are thread-safe.
 */
public interface IsolationAdapter {

    /** The configuration property in which a runtime-specific feature leaves its adapter. */
    String PROPERTY = "dev.sluice.jaxrs.isolation-adapter";

    /**
     * Whether this adapter works for the JAX-RS implementation that owns this configuration (the
     * implementation's own object, as a {@code DynamicFeature}'s context gives it, not an injected proxy).
     */
    boolean serves(Configuration configuration);

    /**
     * Why this adapter cannot run this resource method on a pool, or {@code null} if it can; asked at
     * deployment for every method that {@link Isolated} names a pool for.
     *
     * @param servlet the class name of the servlet that serves the application, or {@code null} if unknown
     */
    String unsupported(Method method, String servlet);

    /**
     * Takes over one request in Sluice's request filter, on the request thread: moves it through
     * {@link IsolatedCall#run} now, or leaves the call in the request property
     * {@link IsolatedCall#PROPERTY} for a later hook of the runtime. Called for every call, also one
     * with no pool (a circuit breaker alone, or a request already on a pool). An adapter that learns
     * of the end of a request, however it ends, says so through {@link IsolatedCall#endsThroughAdapter()}.
     */
    void attach(ContainerRequestContext request, IsolatedCall call);
}
