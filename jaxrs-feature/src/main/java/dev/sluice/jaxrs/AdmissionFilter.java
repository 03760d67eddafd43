package dev.sluice.jaxrs;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.sluice.core.Breaker;
import dev.sluice.core.HeaderStyle;
import dev.sluice.core.LivePolicy;
import dev.sluice.core.RateLimitResponse;
import dev.sluice.core.Sluice;
import dev.sluice.core.Verdict;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;

/**
 * The filter registered on one limited or guarded resource method, built at deployment with its
 * breaker and policies bound. Per request, in the servlet filter's order: the circuit breaker first
 * (open: 503 at once, and no bucket is asked), then the rate limits (exceeded: 429, the headers and
 * the problem body, and the breaker's permission is given back uncounted). An admitted request gets
 * the headers on its response, also when an asynchronous resource resumes it later on another
 * thread; where the servlet filter admitted the request first, its policies are reported too, ahead
 * of the method's. The breaker's permission stays in the request until the {@link IsolationFilter}
 * takes it over; a request that a later filter refuses before that gives it back on its way out.
 *
 * <p>Thread-safe and stateless per request.
 */
final class AdmissionFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** The request property that carries an admitted request's verdict to its response. */
    static final String VERDICT_PROPERTY = "dev.sluice.jaxrs.verdict";

    /** The request property that holds the breaker whose permission the request holds, until the isolation filter takes it. */
    private static final String BREAKER_PROPERTY = "dev.sluice.jaxrs.breaker";

    private final Sluice engine;
    private final List<LivePolicy> policies;
    private final Breaker breaker;
    private final HeaderStyle headerStyle;
    private final HttpServletRequest servletRequest;

    /**
     * @param policies the method's policies, possibly none
     * @param breaker the method's breaker, or {@code null}
     * @param servletRequest the runtime's proxy to the current servlet request, or {@code null}
     *     outside a servlet container
     */
    AdmissionFilter(Sluice engine, List<LivePolicy> policies, Breaker breaker, HttpServletRequest servletRequest) {
        this.engine = engine;
        this.policies = policies;
        this.breaker = breaker;
        this.headerStyle = engine.config().headerStyle();
        this.servletRequest = servletRequest;
    }

    /** Takes the breaker permission the request holds, if any, out of the request: the caller now records or cancels it. */
    static Breaker takeBreaker(ContainerRequestContext request) {
        if (request.getProperty(BREAKER_PROPERTY) instanceof Breaker entered) {
            request.removeProperty(BREAKER_PROPERTY);
            return entered;
        }
        return null;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        engine.checkUnusedOnce();
        if (breaker != null) {
            if (!breaker.tryEnter()) {
                long retryAfter = breaker.retryAfterSeconds();
                request.abortWith(IsolatedCall.serviceUnavailable(retryAfter,
                        RateLimitResponse.breakerBody(breaker.name(), retryAfter)));
                return;
            }
            request.setProperty(BREAKER_PROPERTY, breaker);
        }
        if (policies.isEmpty()) {
            return;
        }
        Verdict verdict = engine.check(policies, new JaxRsRequestInfo(request, servletRequest));
        // The servlet filter's headers are replaced by the runtime's when it writes the response: repeat them.
        if (servletRequest != null && servletRequest.getAttribute(RateLimitResponse.VERDICT_ATTRIBUTE) instanceof Verdict filters) {
            verdict = filters.and(verdict);
        }
        if (verdict.admitted()) {
            request.setProperty(VERDICT_PROPERTY, verdict);
            return;
        }
        giveBackBreaker(request);
        Response.ResponseBuilder refusal = Response.status(RateLimitResponse.status(verdict));
        RateLimitResponse.headers(verdict, headerStyle, refusal::header);
        byte[] body = RateLimitResponse.problemBody(verdict).getBytes(StandardCharsets.UTF_8);
        request.abortWith(refusal.type(RateLimitResponse.PROBLEM_JSON).entity(body).build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        giveBackBreaker(request);
        if (request.getProperty(VERDICT_PROPERTY) instanceof Verdict verdict) {
            RateLimitResponse.headers(verdict, headerStyle, response.getHeaders()::putSingle);
        }
    }

    /** A request that never reaches the isolation filter is no call of the breaker's. */
    private static void giveBackBreaker(ContainerRequestContext request) {
        Breaker entered = takeBreaker(request);
        if (entered != null) {
            entered.cancel();
        }
    }

    @Override
    public String toString() {
        return "AdmissionFilter[" + (breaker == null ? "" : "breaker " + breaker.name() + ", ") + "policies " + policies + "]";
    }
}
