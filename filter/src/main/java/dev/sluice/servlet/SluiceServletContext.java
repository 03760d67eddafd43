package dev.sluice.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.sluice.core.ConfigurationException;
import dev.sluice.core.Sluice;
import dev.sluice.core.SluiceConfig;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

/**
 * Keeps one Sluice engine per web application in a servlet-context attribute, so the filter and
 * the JAX-RS feature of one application share its configuration, store and threads. The first entry
 * point to start creates the engine; the last one to stop closes it, and {@link SluiceInitializer}
 * closes it when the application stops if an entry point could not.
 *
 * <p>Thread-safe.
 */
public final class SluiceServletContext {

    /** The context attribute that holds the shared engine. */
    public static final String ENGINE_ATTRIBUTE = "dev.sluice.engine";

    /**
     * A testing hook: a {@link TimeMeter} placed in this context attribute before the application
     * starts becomes the engine's clock, so tests can drive time by hand.
     */
    public static final String CLOCK_ATTRIBUTE = "dev.sluice.clock";

    /**
     * The context attribute in which an application hands Sluice its own
     * {@code com.hazelcast.core.HazelcastInstance} for {@code sluice.hazelcast.mode=provided}. Set it
     * before the filter starts (in a {@code ServletContextListener}); Sluice never shuts it down.
     */
    public static final String HAZELCAST_INSTANCE_ATTRIBUTE = "dev.sluice.hazelcast.instance";

    /**
     * The context attribute holding the configuration failure of this application's start, so that
     * entry points starting after the first failed one do not read, fail and report it again.
     */
    private static final String FAILURE_ATTRIBUTE = "dev.sluice.failure";

    /** Where the configuration is read from when no location is given. */
    public static final String DEFAULT_CONFIG = "/WEB-INF/sluice.properties";

    private SluiceServletContext() {
    }

    /**
     * Returns the application's engine, creating it from the configuration at {@code location}
     * (or the default) if this is the first entry point to start. Every call must be paired with
     * {@link #release}.
     *
     * @throws ConfigurationException if the configuration is missing or wrong; the one-line message
     *     names the file (or {@code -D system property}), the key and the value
     */
    public static Sluice acquire(ServletContext context, String location) {
        return acquire(context, location, true);
    }

    /**
     * Returns the application's engine as {@link #acquire(ServletContext, String)} does, but when
     * neither {@code location} nor the system property {@code sluice.config} names a file and the
     * default file does not exist, the engine starts from the system properties alone: the JAX-RS
     * feature's policies live in annotations and need no file. The first entry point to start
     * chooses the file; a later one that names another file fails, so one application never runs
     * two configurations.
     *
     * @param fileRequired whether a missing default file is an error
     * @throws ConfigurationException if the configuration is missing or wrong, or names another file
     *     than the running engine's; once an entry point of the application has failed so, every later
     *     one fails with a short message that refers to that report instead of repeating it
     */
    public static Sluice acquire(ServletContext context, String location, boolean fileRequired) {
        synchronized (context) {
            if (context.getAttribute(FAILURE_ATTRIBUTE) != null) {
                throw new ConfigurationException("Sluice is not running in this application: its configuration was"
                        + " refused when the first of its entry points started (reported once, by the container)");
            }
            try {
                return acquireOnce(context, location, fileRequired);
            } catch (ConfigurationException e) {
                failed(context);
                throw e;
            }
        }
    }

    /**
     * Records that the application's configuration was refused, so that later entry points fail
     * without repeating the message; {@link SluiceInitializer} forgets it when the application stops.
     */
    static void failed(ServletContext context) {
        context.setAttribute(FAILURE_ATTRIBUTE, true);
    }

    /** Forgets a refused configuration, as the application starts or stops. */
    static void forgetFailure(ServletContext context) {
        context.removeAttribute(FAILURE_ATTRIBUTE);
    }

    private static Sluice acquireOnce(ServletContext context, String location, boolean fileRequired) {
        Shared shared = (Shared) context.getAttribute(ENGINE_ATTRIBUTE);
        String explicit = location != null && !location.isBlank() ? location.trim()
                : System.getProperty(SluiceConfig.CONFIG_LOCATION);
        if (shared != null && explicit != null && !explicit.equals(shared.location)) {
            throw new ConfigurationException("Sluice configuration " + explicit + " differs from " + shared.location
                    + ", which the application's engine already runs; name one file for the filter and the feature");
        }
        if (shared == null) {
            String resolved = explicit != null ? explicit : DEFAULT_CONFIG;
            Properties file;
            try {
                file = explicit == null && !fileRequired && context.getResource(DEFAULT_CONFIG) == null
                        ? new Properties() : read(context, resolved);
            } catch (MalformedURLException e) {
                throw new ConfigurationException("Sluice configuration " + resolved + " cannot be read: " + e.getMessage());
            }
            SluiceConfig config;
            try {
                config = SluiceConfig.load(file, resolved);
            } catch (ConfigurationException e) {
                throw new ConfigurationException("Sluice configuration " + e.getMessage());
            }
            Sluice.Builder builder = Sluice.builder(config);
            if (context.getAttribute(CLOCK_ATTRIBUTE) instanceof TimeMeter clock) {
                builder.clock(clock);
            }
            Object hazelcast = context.getAttribute(HAZELCAST_INSTANCE_ATTRIBUTE);
            if (hazelcast != null) {
                builder.hazelcastInstance(hazelcast);
            }
            Sluice engine;
            try {
                engine = builder.build();
            } catch (ConfigurationException e) {
                throw new ConfigurationException("Sluice configuration " + e.getMessage());
            }
            try {
                checkThreadPoolsAreServed(context, engine, resolved);
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
            shared = new Shared(engine, resolved);
            context.setAttribute(ENGINE_ATTRIBUTE, shared);
        }
        shared.users++;
        return shared.engine;
    }

    /** Gives back an engine obtained from {@link #acquire}; the last release closes it. */
    public static void release(ServletContext context) {
        synchronized (context) {
            if (context.getAttribute(ENGINE_ATTRIBUTE) instanceof Shared shared && --shared.users == 0) {
                context.removeAttribute(ENGINE_ATTRIBUTE);
                shared.engine.close();
            }
        }
    }

    /**
     * The application's engine if one is running, else {@code null}: for reading its state
     * ({@link Sluice#poolStats()}, {@link Sluice#breakerStats()}). Do not close it.
     */
    public static Sluice engine(ServletContext context) {
        return context.getAttribute(ENGINE_ATTRIBUTE) instanceof Shared shared ? shared.engine : null;
    }

    /**
     * Closes the application's engine if an entry point still holds it as the application stops;
     * {@link SluiceInitializer} calls this after every filter and servlet is destroyed.
     */
    static void closeRemaining(ServletContext context) {
        synchronized (context) {
            forgetFailure(context);
            if (context.getAttribute(ENGINE_ATTRIBUTE) instanceof Shared shared) {
                context.removeAttribute(ENGINE_ATTRIBUTE);
                shared.engine.close();
            }
        }
    }

    /** A {@code threads} pool only works where an {@link IsolatingServlet} serves the path: isolation must never silently not happen. */
    private static void checkThreadPoolsAreServed(ServletContext context, Sluice engine, String location) {
        List<String> mappings = new ArrayList<>();
        for (ServletRegistration registration : context.getServletRegistrations().values()) {
            if (IsolatingServlet.class.getName().equals(registration.getClassName())) {
                mappings.addAll(registration.getMappings());
            }
        }
        List<String> unserved = engine.threadPoolRulesOutside(mappings);
        if (!unserved.isEmpty()) {
            throw new ConfigurationException("Sluice configuration " + location + ": " + String.join("; ", unserved)
                    + " names a threads pool, but no IsolatingServlet serves that path"
                    + (mappings.isEmpty() ? " (none is declared)" : " (IsolatingServlet mappings: " + mappings + ")")
                    + ". Declare dev.sluice.servlet.IsolatingServlet there, with init-param delegate naming the"
                    + " application's servlet, or set the pool's mode to permits.");
        }
    }

    private static Properties read(ServletContext context, String location) {
        Properties properties = new Properties();
        try (InputStream in = open(context, location)) {
            if (in == null) {
                throw new ConfigurationException("Sluice configuration " + location + " not found");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("Sluice configuration " + location + " not found");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("Sluice configuration " + location + " cannot be read: " + e.getMessage());
        }
        return properties;
    }

    private static InputStream open(ServletContext context, String location) throws IOException {
        if (location.startsWith("/")) {
            return context.getResourceAsStream(location);
        }
        try {
            return SluiceConfig.open(location);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Sluice configuration location '" + location
                    + "': expected /WEB-INF/..., classpath:... or file:...");
        }
    }

    /** The engine and how many entry points use it; guarded by the servlet context's monitor. */
    private static final class Shared {
        private final Sluice engine;
        private final String location;
        private int users;

        Shared(Sluice engine, String location) {
            this.engine = engine;
            this.location = location;
        }
    }
}
