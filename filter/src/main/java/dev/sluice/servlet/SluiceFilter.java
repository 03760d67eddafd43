package dev.sluice.servlet;

import java.io.IOException;
import java.util.List;

import dev.sluice.core.Breaker;
import dev.sluice.core.ConfigurationException;
import dev.sluice.core.HeaderStyle;
import dev.sluice.core.IsolationPool;
import dev.sluice.core.PoolMode;
import dev.sluice.core.RateLimitResponse;
import dev.sluice.core.Route;
import dev.sluice.core.Sluice;
import dev.sluice.core.Verdict;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The servlet entry point: enforces the path policies of a Sluice configuration file. Declare it in
 * {@code web.xml} with {@code <async-supported>true</async-supported>} and map it to {@code /*}.
 *
 * <p>Init-params:
 * <dl>
 *   <dt>{@code config}</dt>
 *   <dd>the properties file: {@code /WEB-INF/...} (a web-application resource), {@code classpath:...}
 *       or {@code file:...}. Default: the system property {@code sluice.config}, else
 *       {@code /WEB-INF/sluice.properties}. A missing file stops deployment.</dd>
 * </dl>
 *
 * <p>For each request it applies the rules that match its path and method, in this order: circuit
 * breakers (open: 503 at once), rate limits (exceeded: 429; 503 while a remote bucket store is
 * unavailable under the fail-closed fault mode), then a {@code permits} pool (the
 * request runs when a permit is free, waits parked without a thread when the pool is busy, and gets
 * 503 when the queue is full or it waited past the pool's timeout). An admitted request gets the
 * rate-limit headers and goes on down the chain on the same thread; the filter never runs the chain
 * on another thread. {@code threads} pools are run by {@link IsolatingServlet}. When the JAX-RS feature
 * is on the application's class path, an admitted request's verdict is left in the request attribute
 * {@link RateLimitResponse#VERDICT_ATTRIBUTE} for the feature to report with its own (the filter's token is spent even if a resource's policy then
 * refuses the request: the filter admitted it into the application). A bad configuration makes {@link #init} throw, so the
 * container refuses to start the application; so does a policy configured without a {@code path}
 * (an override of an annotation's policy) when the JAX-RS feature is not on the application's
 * class path, since nothing could claim it.
 *
 * <p>Thread-safe, as the container requires.
 */
public final class SluiceFilter implements Filter {

    private static final String JAXRS_FEATURE = "dev.sluice.jaxrs.SluiceFeature";

    private Sluice engine;
    private HeaderStyle headerStyle;
    private boolean verdictForJaxRs;
    private FilterConfig filterConfig;

    /** Called by the container. */
    public SluiceFilter() {
        // configured in init
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        this.filterConfig = filterConfig;
        ServletContext context = filterConfig.getServletContext();
        Sluice acquired = SluiceServletContext.acquire(context, filterConfig.getInitParameter("config"));
        List<String> unclaimed = acquired.unclaimedOverrides();
        boolean jaxrs = jaxrsFeaturePresent(context);
        if (!unclaimed.isEmpty() && !jaxrs) {
            // Without the JAX-RS feature no annotation can ever claim these: each was most likely
            // meant as a filter policy whose path is missing, and would limit nothing.
            String name = unclaimed.get(0);
            ConfigurationException problem = acquired.unclaimedOverride(name, "policy '" + name + "' has no path and no"
                    + " annotation declares it (the JAX-RS feature " + JAXRS_FEATURE + " is not deployed): set sluice.policy."
                    + name + ".path to the url-patterns it limits, or remove it" + (unclaimed.size() > 1
                    ? "; the same holds for " + String.join(", ", unclaimed.subList(1, unclaimed.size())) : ""));
            SluiceServletContext.release(context);
            throw new ConfigurationException("Sluice configuration " + problem.getMessage());
        }
        this.engine = acquired;
        this.headerStyle = engine.config().headerStyle();
        this.verdictForJaxRs = jaxrs;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)
                || request.getDispatcherType() != DispatcherType.REQUEST) {
            // Dispatches (a parked request resuming, forwards, error pages) were checked on arrival.
            chain.doFilter(request, response);
            return;
        }
        if (!verdictForJaxRs) {
            // With the JAX-RS feature deployed, its first request checks, once its annotations are bound.
            engine.checkUnusedOnce();
        }
        Route route = engine.route(http.getMethod(), pathWithinApplication(http));
        if (route.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        List<Breaker> breakers = route.breakers();
        for (int i = 0; i < breakers.size(); i++) {
            Breaker breaker = breakers.get(i);
            if (!breaker.tryEnter()) {
                for (int j = 0; j < i; j++) {
                    breakers.get(j).cancel();
                }
                long retryAfter = breaker.retryAfterSeconds();
                ProblemResponses.write(out, RateLimitResponse.SERVICE_UNAVAILABLE, retryAfter,
                        RateLimitResponse.breakerBody(breaker.name(), retryAfter));
                return;
            }
        }
        Verdict verdict = engine.rateLimiter().check(route.policies(), new ServletRequestInfo(http));
        RateLimitResponse.headers(verdict, headerStyle, out::setHeader);
        if (!verdict.admitted()) {
            breakers.forEach(Breaker::cancel);
            ProblemResponses.write(out, RateLimitResponse.status(verdict), verdict.retryAfterSeconds(),
                    RateLimitResponse.problemBody(verdict));
            return;
        }
        if (verdictForJaxRs && verdict.hasDecisions()) {
            request.setAttribute(RateLimitResponse.VERDICT_ATTRIBUTE, verdict);
        }
        IsolationPool pool = route.pool();
        if (pool != null && pool.mode() == PoolMode.PERMITS) {
            enterPermitPool(pool, breakers, http, out, chain);
        } else if (!breakers.isEmpty()) {
            runChain(new Completion(null, breakers, engine.clock()), http, out, chain);
        } else {
            chain.doFilter(request, response);
        }
    }

    private void enterPermitPool(IsolationPool pool, List<Breaker> breakers, HttpServletRequest request,
            HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        Completion completion = new Completion(pool, breakers, engine.clock());
        ParkedRequest parked = new ParkedRequest(pool, completion);
        switch (pool.enter(parked)) {
            case RUN -> {
                request.setAttribute(IsolatingServlet.POOL_ATTRIBUTE, pool.name());
                runChain(completion, request, response, chain);
            }
            case PARKED -> {
                request.setAttribute(IsolatingServlet.POOL_ATTRIBUTE, pool.name());
                AsyncContext async = request.startAsync(request, response);
                async.setTimeout(pool.timeout().toMillis());
                async.addListener(parked);
                completion.listenTo(request, response);
                parked.attach(async);
            }
            case REJECTED -> {
                completion.cancel();
                ProblemResponses.write(response, RateLimitResponse.SERVICE_UNAVAILABLE, pool.retryAfterSeconds(),
                        RateLimitResponse.poolBody(pool.name(), "is full", pool.retryAfterSeconds()));
            }
        }
    }

    private static void runChain(Completion completion, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws IOException, ServletException {
        Throwable failure = null;
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            completion.afterChain(request, response, failure);
        }
    }

    @Override
    public void destroy() {
        if (engine != null) {
            SluiceServletContext.release(filterConfig.getServletContext());
            engine = null;
        }
    }

    /**
     * Whether the web application can run the JAX-RS feature, which claims the policies configured
     * without a path (checked by name: the filter does not depend on JAX-RS). When it can, the
     * feature verifies the claims as it deploys, after the filter has started.
     */
    private static boolean jaxrsFeaturePresent(ServletContext context) {
        ClassLoader loader = context.getClassLoader();
        try {
            Class.forName(JAXRS_FEATURE, false, loader != null ? loader : SluiceFilter.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The path rules match: the container's decoded, normalised path, never the raw request URI, in
     * which {@code %73}, {@code ;a=b} or {@code /./} would spell the same resource differently.
     */
    static String pathWithinApplication(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        if (pathInfo == null) {
            return servletPath.isEmpty() ? "/" : servletPath;
        }
        return servletPath.isEmpty() ? pathInfo : servletPath.concat(pathInfo);
    }
}
