package dev.sluice.it.isolation;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.Principal;
import java.util.concurrent.TimeUnit;

import org.slf4j.MDC;

import dev.sluice.core.PoolStats;
import dev.sluice.servlet.IsolatingServlet;
import dev.sluice.servlet.SluiceServletContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/** Servlets and filters the isolation suite deploys by class name, as web.xml would. */
public final class TestServlets {

    /** The class loader the "application" runs with; pool threads must see it too. */
    public static final ClassLoader APP_LOADER = new URLClassLoader("test-webapp", new URL[0], TestServlets.class.getClassLoader());

    private TestServlets() {
    }

    /**
     * {@code /work?ms=N} sleeps N ms (interruptibly); {@code /work?block=1} waits for the test's release.
     * Answers with what the thread saw: its name, the pool, the MDC, the class loader, the principal.
     */
    public static final class WorkServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            boolean late = request.getParameter("late") != null;
            Probe.enter();
            try {
                if (request.getParameter("block") != null) {
                    if (!Probe.release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                }
                String ms = request.getParameter("ms");
                if (ms != null) {
                    Thread.sleep(Long.parseLong(ms));
                }
            } catch (InterruptedException e) {
                Probe.interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
            } finally {
                Probe.exit();
            }
            if (late) {
                // the task keeps going after its interrupt and tries to answer anyway
                response.setStatus(200);
                response.getWriter().write("LATE");
                response.getWriter().flush();
                Probe.lateWritesDone.incrementAndGet();
                return;
            }
            Principal principal = request.getUserPrincipal();
            response.setContentType("text/plain");
            response.setHeader("X-Thread", Thread.currentThread().getName());
            response.setHeader("X-Pool", String.valueOf(request.getAttribute(IsolatingServlet.POOL_ATTRIBUTE)));
            response.setHeader("X-Mdc", String.valueOf(MDC.get("request-id")));
            response.setHeader("X-Loader", String.valueOf(Thread.currentThread().getContextClassLoader() == APP_LOADER));
            response.setHeader("X-Principal", principal == null ? "none" : principal.getName());
            response.getWriter().write("done");
        }
    }

    /** {@code /stats}: the pool {@code work} as {@code active=A queued=Q parked=P rejected=R timedOut=T}. */
    public static final class StatsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            PoolStats stats = SluiceServletContext.engine(getServletContext()).poolStats().stream()
                    .filter(pool -> pool.pool().equals("work")).findFirst().orElseThrow();
            response.setContentType("text/plain");
            response.getWriter().write("active=" + stats.active() + " queued=" + stats.queued() + " parked=" + stats.parked()
                    + " rejected=" + stats.rejected() + " timedOut=" + stats.timedOut());
        }
    }

    /** {@code /fast}: answers at once and touches no probe. */
    public static final class FastServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("fast");
        }
    }

    /** Puts the application's context: an MDC entry from {@code X-Request-Id}, the app class loader, a principal. */
    public static final class ContextFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            String id = http.getHeader("X-Request-Id");
            if (id != null) {
                MDC.put("request-id", id);
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(APP_LOADER);
            String user = http.getHeader("X-User");
            HttpServletRequest authenticated = user == null ? http : new HttpServletRequestWrapper(http) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }
            };
            try {
                chain.doFilter(authenticated, response);
            } finally {
                MDC.remove("request-id");
                thread.setContextClassLoader(previous);
            }
        }
    }
}
