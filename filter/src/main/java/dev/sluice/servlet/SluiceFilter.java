package dev.sluice.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.sluice.core.HeaderStyle;
import dev.sluice.core.RateLimitResponse;
import dev.sluice.core.Sluice;
import dev.sluice.core.Verdict;
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
 * <p>An admitted request gets the rate-limit headers and goes on down the chain on the same thread,
 * its verdict left in the request attribute {@link RateLimitResponse#VERDICT_ATTRIBUTE} for the
 * JAX-RS feature to report with its own (the filter's token is spent even if a resource's policy
 * then refuses the request: the filter admitted it into the application);
 * a refused one is answered here with 429, {@code Retry-After}, the headers and a problem+json body,
 * and never reaches the application. A bad configuration makes {@link #init} throw, so the
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
        if (!unclaimed.isEmpty() && !jaxrsFeaturePresent(context)) {
            // Without the JAX-RS feature no annotation can ever claim these: each was most likely
            // meant as a filter policy whose path is missing, and would limit nothing.
            SluiceServletContext.release(context);
            String name = unclaimed.get(0);
            throw new ServletException("Sluice configuration: policy '" + name + "' has no path and no annotation"
                    + " declares it (the JAX-RS feature " + JAXRS_FEATURE + " is not deployed): set sluice.policy."
                    + name + ".path to the url-patterns it limits, or remove it" + (unclaimed.size() > 1
                    ? "; the same holds for " + String.join(", ", unclaimed.subList(1, unclaimed.size())) : ""));
        }
        this.engine = acquired;
        this.headerStyle = engine.config().headerStyle();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
            chain.doFilter(request, response);
            return;
        }
        Verdict verdict = engine.check(http.getMethod(), pathWithinApplication(http), new ServletRequestInfo(http));
        RateLimitResponse.headers(verdict, headerStyle, out::setHeader);
        if (verdict.admitted()) {
            if (!verdict.decisions().isEmpty()) {
                request.setAttribute(RateLimitResponse.VERDICT_ATTRIBUTE, verdict);
            }
            chain.doFilter(request, response);
            return;
        }
        byte[] body = RateLimitResponse.problemBody(verdict).getBytes(StandardCharsets.UTF_8);
        out.setStatus(RateLimitResponse.TOO_MANY_REQUESTS);
        out.setContentType(RateLimitResponse.PROBLEM_JSON);
        out.setCharacterEncoding("UTF-8");
        out.setContentLength(body.length);
        out.getOutputStream().write(body);
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

    private static String pathWithinApplication(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        if (pathInfo == null) {
            return servletPath.isEmpty() ? "/" : servletPath;
        }
        return servletPath.concat(pathInfo);
    }
}
