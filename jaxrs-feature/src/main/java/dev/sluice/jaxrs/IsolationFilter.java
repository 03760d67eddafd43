package dev.sluice.jaxrs;

import dev.sluice.core.IsolationPool;
import dev.sluice.core.Sluice;
import dev.sluice.servlet.IsolatingServlet;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * The filter registered on one isolated or guarded resource method, built at deployment with its
 * pool (if any). Per request: the request becomes an {@link IsolatedCall}, which takes over the
 * breaker permission that the {@link AdmissionFilter} obtained before the rate limits, and which the
 * implementation's adapter moves onto the pool, unless the request already runs on a pool
 * ({@link IsolatingServlet#POOL_ATTRIBUTE}), when it stays inline. On the way out it tells the call
 * how the request was answered.
 *
 * <p>Thread-safe and stateless per request.
 */
final class IsolationFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private final IsolationPool pool;
    private final Sluice engine;
    private final TimeMeter clock;
    private final IsolationAdapter adapter;
    private final HttpServletRequest servletRequest;

    /**
     * @param pool the method's pool, or {@code null} for a breaker alone
     * @param adapter the implementation's adapter, or {@code null} (then {@code pool} is {@code null})
     * @param servletRequest the runtime's proxy to the current servlet request, or {@code null}
     */
    IsolationFilter(IsolationPool pool, Sluice engine, IsolationAdapter adapter, HttpServletRequest servletRequest) {
        this.pool = pool;
        this.engine = engine;
        this.clock = engine.clock();
        this.adapter = adapter;
        this.servletRequest = servletRequest;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        engine.checkUnusedOnce();
        // JAX-RS keeps request properties and servlet request attributes in step
        IsolationPool target = request.getProperty(IsolatingServlet.POOL_ATTRIBUTE) == null ? pool : null;
        IsolatedCall call = new IsolatedCall(target, AdmissionFilter.takeBreaker(request), clock, servletRequest);
        request.setProperty(IsolatedCall.PROPERTY, call);
        if (target != null) {
            request.setProperty(IsolatingServlet.POOL_ATTRIBUTE, target.name());
        }
        if (adapter != null) {
            adapter.attach(request, call);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(IsolatedCall.PROPERTY) instanceof IsolatedCall call) {
            call.responded(response);
        }
    }

    @Override
    public String toString() {
        return "IsolationFilter[" + (pool == null ? "inline" : "pool " + pool.name()) + "]";
    }
}
