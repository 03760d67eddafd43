package dev.sluice.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.sluice.core.HeaderStyle;
import dev.sluice.core.RateLimitResponse;
import dev.sluice.core.Sluice;
import dev.sluice.core.Verdict;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
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
 * <p>An admitted request gets the rate-limit headers and goes on down the chain on the same thread;
 * a refused one is answered here with 429, {@code Retry-After}, the headers and a problem+json body,
 * and never reaches the application. While a remote bucket store is unavailable and the fault mode
 * is fail-closed, limited requests are answered with 503, {@code Retry-After} and a problem+json
 * body instead. A bad configuration makes {@link #init} throw, so the container refuses to start
 * the application.
 *
 * <p>Thread-safe, as the container requires.
 */
public final class SluiceFilter implements Filter {

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
        this.engine = SluiceServletContext.acquire(filterConfig.getServletContext(), filterConfig.getInitParameter("config"));
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
            chain.doFilter(request, response);
            return;
        }
        byte[] body = RateLimitResponse.problemBody(verdict).getBytes(StandardCharsets.UTF_8);
        out.setStatus(RateLimitResponse.status(verdict));
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

    private static String pathWithinApplication(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        if (pathInfo == null) {
            return servletPath.isEmpty() ? "/" : servletPath;
        }
        return servletPath.concat(pathInfo);
    }
}
