package dev.sluice.jaxrs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

import dev.sluice.core.Breaker;
import dev.sluice.core.ConfigurationException;
import dev.sluice.core.LivePolicy;
import dev.sluice.core.Sluice;
import dev.sluice.core.SluiceConfig;
import dev.sluice.servlet.SluiceServletContext;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.FeatureContext;

/**
 * The JAX-RS entry point: enforces the {@link RateLimit}, {@link Isolated} and {@link CircuitBreaker}
 * annotations of resource classes and methods. Register it once,
 * {@code register(SluiceFeature.class)} on a {@code ResourceConfig} or in
 * {@code Application#getClasses()}; Jersey also finds it on the class path by itself (turn that off
 * with the property {@value #AUTO_DISCOVERY} {@code = false}).
 *
 * <p>At deployment it reads each resource method's annotations once, checks them, binds the
 * policies, pools and breakers to the engine and registers pre-built filters on the annotated
 * methods only: the admission filter (circuit breaker, then rate limits, the servlet filter's
 * order) at {@link #PRIORITY}, the isolation filter at {@link #ISOLATION_PRIORITY}; unannotated
 * methods get nothing. Per request the filters only ask the breaker, take from the buckets and hand
 * the request to the pool. A bad annotation or
 * configuration stops deployment with a message naming {@code Class#method}, the attribute and the
 * value. Moving a resource method onto a pool takes an {@link IsolationAdapter} for the JAX-RS
 * implementation: Jersey's comes with its auto-discovery, RESTEasy's is found on the class path.
 *
 * <p>Engine: in a servlet container the feature shares the web application's engine with the
 * servlet filter ({@link SluiceServletContext}), so one application runs one configuration, one
 * store and one set of threads; elsewhere it starts its own. Configuration file, first found:
 * the property {@value #CONFIG} of the JAX-RS application ({@code Application#getProperties()},
 * on Jersey also the servlet's init-params), the init-param {@value #CONFIG} of the JAX-RS servlet,
 * the system property {@value #CONFIG}, then {@code /WEB-INF/sluice.properties} (or
 * {@code classpath:sluice.properties} outside a servlet container) if it exists. Without a file
 * the annotations apply as written.
 *
 * <p>Policies configured without a {@code path} override annotation policies by name, and each
 * must be declared by an annotation on a class of the application ({@code Application#getClasses()}
 * and {@code getSingletons()}, which on Jersey include scanned packages): a name that none declares
 * stops deployment, so a typo never leaves a limit unapplied.
 *
 * <p>The runtime creates one instance per application; it is thread-safe.
 */
@ConstrainedTo(RuntimeType.SERVER)
public final class SluiceFeature implements DynamicFeature {

    /**
     * The priority of the admission filter ({@link CircuitBreaker}, then {@link RateLimit}): after
     * authentication ({@code Priorities.AUTHENTICATION}, 1000, and any filter up to 1899), so
     * {@code principal} keys see the authenticated user, and before authorization
     * ({@code Priorities.AUTHORIZATION}, 2000), so a refused request costs no authorization check. As
     * in the servlet filter, an open breaker refuses before any bucket is asked, and a request that
     * a rate limit (or a later filter) refuses gives the breaker's permission back uncounted.
     */
    public static final int PRIORITY = Priorities.AUTHORIZATION - 100;

    /**
     * The priority of the isolation filter ({@link Isolated}, and the outcome of a
     * {@link CircuitBreaker}'s calls): after authentication, the rate limits, authorization and the
     * usual application filters (up to {@code Priorities.USER}, 5000), so only requests that will
     * reach the resource method take a place in the pool or count for the breaker. Filters with a
     * larger priority value run after it (on RESTEasy, on the pool's thread).
     */
    public static final int ISOLATION_PRIORITY = Priorities.USER + 1000;

    /** The property naming the configuration file. */
    public static final String CONFIG = SluiceConfig.CONFIG_LOCATION;

    /** The application property that, set to {@code false}, stops Jersey from registering the feature by itself. */
    public static final String AUTO_DISCOVERY = "sluice.jaxrs.auto-discovery";

    private static final String DEFAULT_CLASSPATH_CONFIG = "classpath:sluice.properties";

    @Context
    private Configuration configuration;
    @Context
    private Application application;
    @Context
    private ServletContext servletContext;
    @Context
    private ServletConfig servletConfig;
    @Context
    private HttpServletRequest servletRequest;

    /** Set on the first resource method; guarded by {@code this}. */
    private Deployment deployment;

    /** The engine this application uses and whether it must give it back to the servlet context. */
    private record Deployment(Sluice engine, AnnotationPolicies policies, IsolationAnnotations isolation,
            IsolationAdapter adapter, ServletContext sharedFrom) {
    }

    /** Created by the JAX-RS runtime. */
    public SluiceFeature() {
        // the runtime injects the context fields before configure
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Class<?> type = resourceInfo.getResourceClass();
        Method method = resourceInfo.getResourceMethod();
        if (type == null || method == null) {
            return;
        }
        Deployment current = deployment(context.getConfiguration());
        List<LivePolicy> policies = AnnotationPolicies.annotated(type, method) ? current.policies.bind(type, method) : List.of();
        IsolationAnnotations.Plan plan = IsolationAnnotations.annotated(type, method) ? current.isolation.bind(type, method) : null;
        Breaker breaker = plan == null ? null : plan.breaker();
        if (!policies.isEmpty() || breaker != null) {
            context.register(new AdmissionFilter(current.engine, policies, breaker, servletRequest), PRIORITY);
        }
        if (plan != null) {
            context.register(new IsolationFilter(plan.pool(), current.engine, current.adapter, servletRequest),
                    ISOLATION_PRIORITY);
        }
    }

    /** Gives the engine back when the runtime undeploys the application. */
    @PreDestroy
    public synchronized void close() {
        if (deployment == null) {
            return;
        }
        if (deployment.sharedFrom != null) {
            SluiceServletContext.release(deployment.sharedFrom);
        } else {
            deployment.engine.close();
        }
        deployment = null;
    }

    /**
     * The application's engine, annotations and adapter, set up on the first resource method.
     *
     * @param runtime a configuration object of the JAX-RS implementation itself (the injected one may be a proxy)
     */
    private synchronized Deployment deployment(Configuration runtime) {
        if (deployment == null) {
            ServletContext context = servletContext();
            Sluice engine = context != null ? sharedEngine(context) : ownEngine();
            IsolationAdapter adapter = adapter(runtime);
            deployment = new Deployment(engine, new AnnotationPolicies(engine),
                    new IsolationAnnotations(engine, adapter, runtime.getClass().getName(), context != null, servletClass(context)),
                    adapter, context);
            try {
                checkOverridesAreDeclared(engine);
            } catch (ConfigurationException e) {
                close();
                throw e;
            }
        }
        return deployment;
    }

    /**
     * Fails deployment for a configured override that no annotation of this application declares:
     * most likely a misspelt policy name, or a filter policy missing its path. Only the classes the
     * application lists can be seen before their methods are configured; when it lists none (the
     * runtime scans), the check has nothing to compare with and is skipped.
     */
    @SuppressWarnings("deprecation") // getSingletons() is deprecated, but applications still list resources there
    private void checkOverridesAreDeclared(Sluice engine) {
        List<String> unclaimed = engine.unclaimedOverrides();
        if (unclaimed.isEmpty() || application == null) {
            return;
        }
        Set<Class<?>> classes = new HashSet<>(application.getClasses());
        for (Object singleton : application.getSingletons()) {
            classes.add(singleton.getClass());
        }
        if (classes.isEmpty()) {
            return;
        }
        Set<String> declared = new HashSet<>();
        for (Class<?> type : classes) {
            declared.addAll(AnnotationPolicies.declaredNames(type));
        }
        List<String> undeclared = new ArrayList<>(unclaimed);
        undeclared.removeAll(declared);
        if (!undeclared.isEmpty()) {
            String name = undeclared.get(0);
            throw new ConfigurationException("Sluice configuration " + engine.unclaimedOverride(name, "policy '" + name
                    + "' has no path and no @RateLimit of the JAX-RS application declares it: set sluice.policy." + name
                    + ".path for the servlet filter, or name a policy that an annotation declares" + (undeclared.size() > 1
                    ? "; the same holds for " + String.join(", ", undeclared.subList(1, undeclared.size())) : "")).getMessage());
        }
    }

    /**
     * The running implementation's isolation adapter: the one its own feature left in the
     * configuration, else the first on the class path that serves it; {@code null} if none does.
     */
    private static IsolationAdapter adapter(Configuration runtime) {
        if (runtime.getProperty(IsolationAdapter.PROPERTY) instanceof IsolationAdapter own && own.serves(runtime)) {
            return own;
        }
        Iterator<IsolationAdapter> found = ServiceLoader.load(IsolationAdapter.class, SluiceFeature.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!found.hasNext()) {
                    return null;
                }
                IsolationAdapter adapter = found.next();
                if (adapter.serves(runtime)) {
                    return adapter;
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                // an adapter for an implementation that is not on the class path
            }
        }
    }

    /** The servlet context, or {@code null} outside a servlet container or when the runtime cannot say. */
    private ServletContext servletContext() {
        if (servletContext == null) {
            return null;
        }
        try {
            servletContext.getMajorVersion();
            return servletContext;
        } catch (RuntimeException e) {
            // A runtime may inject a proxy that finds no servlet context behind it.
            return null;
        }
    }

    private Sluice sharedEngine(ServletContext context) {
        return SluiceServletContext.acquire(context, configLocation(), false);
    }

    private Sluice ownEngine() {
        String location = configLocation();
        if (location == null) {
            location = System.getProperty(CONFIG);
        }
        String resolved = location != null ? location : DEFAULT_CLASSPATH_CONFIG;
        Properties file = new Properties();
        try (InputStream in = SluiceConfig.open(resolved)) {
            if (in == null && location != null) {
                throw new ConfigurationException("Sluice configuration " + resolved + " not found");
            }
            if (in != null) {
                try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    file.load(reader);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("Sluice configuration " + resolved + " cannot be read: " + e);
        }
        try {
            return Sluice.builder(SluiceConfig.load(file, resolved)).build();
        } catch (ConfigurationException e) {
            throw new ConfigurationException("Sluice configuration " + e.getMessage());
        }
    }

    /** The class name of the servlet that serves this application, or {@code null} if the runtime cannot say. */
    private String servletClass(ServletContext context) {
        try {
            ServletRegistration registration = context == null || servletConfig == null
                    ? null : context.getServletRegistration(servletConfig.getServletName());
            return registration == null ? null : registration.getClassName();
        } catch (RuntimeException e) {
            // A runtime may inject a proxy that finds no servlet behind it (a filter serves the application).
            return null;
        }
    }

    /** The configuration file named by the application or the JAX-RS servlet, or {@code null}. */
    private String configLocation() {
        Object property = configuration == null ? null : configuration.getProperty(CONFIG);
        if (property != null && !property.toString().isBlank()) {
            return property.toString().trim();
        }
        try {
            String param = servletConfig == null ? null : servletConfig.getInitParameter(CONFIG);
            return param == null || param.isBlank() ? null : param.trim();
        } catch (RuntimeException e) {
            // A runtime may inject a proxy that finds no servlet behind it.
            return null;
        }
    }
}
