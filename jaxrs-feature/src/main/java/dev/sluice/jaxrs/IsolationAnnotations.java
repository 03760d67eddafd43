package dev.sluice.jaxrs;

import java.lang.reflect.Method;
import java.util.Collection;

import dev.sluice.core.Breaker;
import dev.sluice.core.ConfigurationException;
import dev.sluice.core.IsolationPool;
import dev.sluice.core.PoolMode;
import dev.sluice.core.Sluice;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Reads the {@link Isolated} and {@link CircuitBreaker} annotations of resource methods at
 * deployment and checks them against the configuration and the JAX-RS implementation: isolation that
 * could not happen stops deployment instead of silently not happening. Immutable.
 */
final class IsolationAnnotations {

    /** What applies to one resource method: a pool, a breaker, or both. */
    record Plan(IsolationPool pool, Breaker breaker) {
    }

    private final Sluice engine;
    private final IsolationAdapter adapter;
    private final String runtime;
    private final boolean servletContainer;
    private final String servlet;

    /**
     * @param adapter the JAX-RS implementation's adapter, or {@code null} if it has none
     * @param runtime the implementation's configuration class, for messages
     * @param servletContainer whether the application runs in a servlet container
     * @param servlet the class name of the servlet that serves the application, or {@code null} if unknown
     */
    IsolationAnnotations(Sluice engine, IsolationAdapter adapter, String runtime, boolean servletContainer, String servlet) {
        this.engine = engine;
        this.adapter = adapter;
        this.runtime = runtime;
        this.servletContainer = servletContainer;
        this.servlet = servlet;
    }

    /** Whether a resource method is isolated or guarded, on itself or through its class. */
    static boolean annotated(Class<?> type, Method method) {
        return type.isAnnotationPresent(Isolated.class) || method.isAnnotationPresent(Isolated.class)
                || type.isAnnotationPresent(CircuitBreaker.class) || method.isAnnotationPresent(CircuitBreaker.class);
    }

    /**
     * The pool and breaker of one resource method; a method's annotation replaces its class's.
     *
     * @throws ConfigurationException naming {@code Class#method}, the annotation and the value
     */
    Plan bind(Class<?> type, Method method) {
        String origin = type.getName() + "#" + method.getName();
        Isolated isolated = method.isAnnotationPresent(Isolated.class)
                ? method.getAnnotation(Isolated.class) : type.getAnnotation(Isolated.class);
        CircuitBreaker guarded = method.isAnnotationPresent(CircuitBreaker.class)
                ? method.getAnnotation(CircuitBreaker.class) : type.getAnnotation(CircuitBreaker.class);
        IsolationPool pool = isolated == null ? null : pool(origin, method, isolated.value().trim());
        Breaker breaker = null;
        if (guarded != null) {
            String name = guarded.value().trim();
            breaker = engine.breaker(name);
            if (breaker == null) {
                throw error(origin, "CircuitBreaker", name, "no breaker '" + name + "' is configured: set sluice.breaker."
                        + name + ".consecutive-failures or .failure-rate" + known("breakers", engine.breakers().keySet()));
            }
        }
        return new Plan(pool, breaker);
    }

    private IsolationPool pool(String origin, Method method, String name) {
        IsolationPool pool = engine.pool(name);
        if (pool == null) {
            throw error(origin, "Isolated", name, "no pool '" + name + "' is configured: set sluice.pool." + name
                    + ".threads (and .queue, .timeout, .mode)" + known("pools", engine.pools().keySet()));
        }
        if (adapter == null) {
            throw error(origin, "Isolated", name, "this JAX-RS implementation (" + runtime + ") has no Sluice adapter to run"
                    + " resource methods on a pool. On Jersey register dev.sluice.jaxrs.jersey.JerseyIsolation (Jersey's"
                    + " auto-discovery does, unless " + SluiceFeature.AUTO_DISCOVERY + "=false or"
                    + " jersey.config.disableAutoDiscovery=true); RESTEasy needs nothing more. Elsewhere, serve the"
                    + " application through dev.sluice.servlet.IsolatingServlet and a path policy instead");
        }
        String unsupported = adapter.unsupported(method, servlet);
        if (unsupported != null) {
            throw error(origin, "Isolated", name, unsupported);
        }
        for (Class<?> parameter : method.getParameterTypes()) {
            if (SseEventSink.class.isAssignableFrom(parameter)) {
                throw error(origin, "Isolated", name, "a Server-Sent Events method streams past any pool's deadline;"
                        + " run the work it starts on the pool instead");
            }
        }
        if (pool.mode() == PoolMode.PERMITS && !servletContainer) {
            throw error(origin, "Isolated", name, "pool '" + name + "' is in permits mode, which parks requests through"
                    + " the servlet container's async support; outside a servlet container use a threads pool");
        }
        return pool;
    }

    private static String known(String what, Collection<String> names) {
        return names.isEmpty() ? " (none is configured)" : " (configured " + what + ": " + String.join(", ", names) + ")";
    }

    private static ConfigurationException error(String origin, String annotation, String value, String problem) {
        return new ConfigurationException(origin + ": @" + annotation + "(value = \"" + value + "\"): " + problem);
    }
}
