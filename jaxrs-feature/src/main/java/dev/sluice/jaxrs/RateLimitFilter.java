package dev.sluice.jaxrs;

import java.nio.charset.StandardCharsets;
import java.util.List;

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
 * The filter registered on one limited resource method, built at deployment with its policies
 * bound: per request it only asks the engine. A refusal aborts the request with 429, the headers
 * and the problem body; an admitted request gets the headers on its response, also when an
 * asynchronous resource resumes it later on another thread. Where the servlet filter admitted the
 * request first, its policies are reported too, ahead of the method's.
 *
 * <p>Thread-safe and stateless per request.
 */
final class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** The request property that carries an admitted request's verdict to its response. */
    static final String VERDICT_PROPERTY = "dev.sluice.jaxrs.verdict";

    private final Sluice engine;
    private final List<LivePolicy> policies;
    private final HeaderStyle headerStyle;
    private final HttpServletRequest servletRequest;

    /**
     * @param servletRequest the runtime's proxy to the current servlet request, or {@code null}
     *     outside a servlet container
     */
    RateLimitFilter(Sluice engine, List<LivePolicy> policies, HttpServletRequest servletRequest) {
        this.engine = engine;
        this.policies = policies;
        this.headerStyle = engine.config().headerStyle();
        this.servletRequest = servletRequest;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Verdict verdict = engine.check(policies, new JaxRsRequestInfo(request, servletRequest));
        // The servlet filter's headers are replaced by the runtime's when it writes the response: repeat them.
        if (servletRequest != null && servletRequest.getAttribute(RateLimitResponse.VERDICT_ATTRIBUTE) instanceof Verdict filters) {
            verdict = filters.and(verdict);
        }
        if (verdict.admitted()) {
            request.setProperty(VERDICT_PROPERTY, verdict);
            return;
        }
        Response.ResponseBuilder refusal = Response.status(RateLimitResponse.status(verdict));
        RateLimitResponse.headers(verdict, headerStyle, refusal::header);
        byte[] body = RateLimitResponse.problemBody(verdict).getBytes(StandardCharsets.UTF_8);
        request.abortWith(refusal.type(RateLimitResponse.PROBLEM_JSON).entity(body).build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(VERDICT_PROPERTY) instanceof Verdict verdict) {
            RateLimitResponse.headers(verdict, headerStyle, response.getHeaders()::putSingle);
        }
    }

    @Override
    public String toString() {
        return "RateLimitFilter" + policies;
    }
}
