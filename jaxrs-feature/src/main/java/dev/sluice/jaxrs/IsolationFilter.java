package dev.sluice.jaxrs;

import dev.sluice.core.Breaker;
import dev.sluice.core.IsolationPool;
import dev.sluice.core.RateLimitResponse;
import dev.sluice.servlet.IsolatingServlet;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * The filter registered on one isolated or guarded resource method, built at deployment with its
 * pool and breaker. Per request: an open breaker answers 503 at once; otherwise the request becomes
 * an {@link IsolatedCall} that the implementation's adapter moves onto the pool, unless the request
 * already runs on a pool ({@link IsolatingServlet#POOL_ATTRIBUTE}), when it stays inline. On the
 * way out it tells the call how the request was answered.
 *
 * <p>Thread-safe and stateless per request.
 */
final class IsolationFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private final IsolationPool pool;
    private final Breaker breaker;
    private final TimeMeter clock;
    private final IsolationAdapter adapter;
    private final HttpServletRequest servletRequest;

    /**
     * @param adapter the implementation's adapter, or {@code null} (then {@code pool} is {@code null})
     * @param servletRequest the runtime's proxy to the current servlet request, or {@code null}
     */
    IsolationFilter(IsolationAnnotations.Plan plan, TimeMeter clock, IsolationAdapter adapter, HttpServletRequest servletRequest) {
        this.pool = plan.pool();
        this.breaker = plan.breaker();
        this.clock = clock;
        this.adapter = adapter;
        this.servletRequest = servletRequest;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (breaker != null && !breaker.tryEnter()) {
            long retryAfter = breaker.retryAfterSeconds();
            request.abortWith(IsolatedCall.serviceUnavailable(retryAfter,
                    RateLimitResponse.breakerBody(breaker.name(), retryAfter)));
            return;
        }
        // JAX-RS keeps request properties and servlet request attributes in step
        IsolationPool target = request.getProperty(IsolatingServlet.POOL_ATTRIBUTE) == null ? pool : null;
        IsolatedCall call = new IsolatedCall(target, breaker, clock, servletRequest);
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
        return "IsolationFilter[" + (pool == null ? "" : "pool " + pool.name())
                + (breaker == null ? "" : " breaker " + breaker.name()) + "]";
    }
}
