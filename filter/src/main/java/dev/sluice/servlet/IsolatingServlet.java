package dev.sluice.servlet;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import dev.sluice.core.IsolationPool;
import dev.sluice.core.PoolMode;
import dev.sluice.core.Route;
import dev.sluice.core.Sluice;
import jakarta.servlet.GenericServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Executor isolation for any servlet: declared in {@code web.xml} in place of the application's
 * servlet, it runs that servlet (the delegate) on the {@code threads} pool named by the policy that
 * matches each request ({@code sluice.policy.<name>.pool}). The container thread is freed at once;
 * when the pool's timeout passes, the client gets one 503, the task is interrupted, and whatever it
 * writes afterwards is dropped. A full pool answers 503 at once. Requests that match no
 * {@code threads} pool, or already run on a pool, are served on the calling thread.
 *
 * <p>Init-params:
 * <dl>
 *   <dt>{@code delegate}</dt><dd>the class name of the real servlet, required; it is created once
 *       and initialised with every other init-param</dd>
 *   <dt>{@code sluice.config}</dt><dd>the configuration file, if no {@link SluiceFilter} in the
 *       application names it; see the filter's {@code config}</dd>
 * </dl>
 * Declare it with {@code <async-supported>true</async-supported>}. The delegate may be a JAX-RS
 * servlet and may serve async resources: it sees a request that is not async until it starts async
 * itself.
 *
 * <p>Thread-safe, as the container requires.
 */
public final class IsolatingServlet extends GenericServlet {

    private static final long serialVersionUID = 1L;

    /** The request attribute naming the pool a request runs on. */
    public static final String POOL_ATTRIBUTE = "dev.sluice.pool";

    /** Set to {@code true} on a request that ran out of its pool's time. */
    static final String TIMED_OUT_ATTRIBUTE = "dev.sluice.timed-out";

    /** Holds what the delegate threw when it ran on a pool thread. */
    static final String FAILURE_ATTRIBUTE = "dev.sluice.failure";

    private static final String DELEGATE = "delegate";
    private static final String CONFIG = "sluice.config";

    private transient Servlet delegate;
    private transient Sluice engine;

    /** Called by the container. */
    public IsolatingServlet() {
        // configured in init
    }

    @Override
    public void init() throws ServletException {
        ServletConfig config = getServletConfig();
        String className = config.getInitParameter(DELEGATE);
        if (className == null || className.isBlank()) {
            throw new ServletException("IsolatingServlet " + config.getServletName()
                    + ": init-param 'delegate' must name the servlet class to run");
        }
        this.engine = SluiceServletContext.acquire(config.getServletContext(), config.getInitParameter(CONFIG));
        try {
            this.delegate = instantiate(config, className.trim());
            delegate.init(new DelegateConfig(config));
        } catch (ServletException | RuntimeException e) {
            SluiceServletContext.release(config.getServletContext());
            engine = null;
            throw e;
        }
    }

    private static Servlet instantiate(ServletConfig config, String className) throws ServletException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class<?> type = Class.forName(className, true, loader != null ? loader : IsolatingServlet.class.getClassLoader());
            if (!Servlet.class.isAssignableFrom(type)) {
                throw new ServletException("IsolatingServlet " + config.getServletName() + ": delegate " + className
                        + " does not implement " + Servlet.class.getName());
            }
            return (Servlet) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ServletException("IsolatingServlet " + config.getServletName() + ": cannot create delegate "
                    + className + " through a public no-argument constructor: " + e, e);
        }
    }

    @Override
    public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)
                || request.getAttribute(POOL_ATTRIBUTE) != null) {
            delegate.service(request, response);
            return;
        }
        Route route = engine.route(http.getMethod(), SluiceFilter.pathWithinApplication(http));
        IsolationPool pool = route.pool();
        if (pool == null || pool.mode() != PoolMode.THREADS) {
            delegate.service(request, response);
            return;
        }
        new IsolatedExchange(delegate, pool, http, out).start();
    }

    @Override
    public void destroy() {
        if (delegate != null) {
            delegate.destroy();
        }
        if (engine != null) {
            SluiceServletContext.release(getServletContext());
            engine = null;
        }
    }

    /** The delegate's view of this servlet's configuration: every init-param but Sluice's own. */
    private static final class DelegateConfig implements ServletConfig {
        private final ServletConfig config;

        DelegateConfig(ServletConfig config) {
            this.config = config;
        }

        @Override
        public String getServletName() {
            return config.getServletName();
        }

        @Override
        public ServletContext getServletContext() {
            return config.getServletContext();
        }

        @Override
        public String getInitParameter(String name) {
            return DELEGATE.equals(name) || CONFIG.equals(name) ? null : config.getInitParameter(name);
        }

        @Override
        public Enumeration<String> getInitParameterNames() {
            List<String> names = Collections.list(config.getInitParameterNames());
            names.remove(DELEGATE);
            names.remove(CONFIG);
            return Collections.enumeration(names);
        }
    }
}
