package dev.sluice.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.sluice.core.ConfigurationException;
import dev.sluice.core.Sluice;
import dev.sluice.core.SluiceConfig;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;

/**
 * Keeps one Sluice engine per web application in a servlet-context attribute, so the filter and
 * the JAX-RS feature of one application share its configuration, store and threads. The first entry
 * point to start creates the engine; the last one to stop closes it.
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

    /** Where the configuration is read from when no location is given. */
    public static final String DEFAULT_CONFIG = "/WEB-INF/sluice.properties";

    private SluiceServletContext() {
    }

    /**
     * Returns the application's engine, creating it from the configuration at {@code location}
     * (or the default) if this is the first entry point to start. Every call must be paired with
     * {@link #release}.
     *
     * @throws ServletException if the configuration is missing or wrong; the message names the
     *     file, the key and the value
     */
    public static Sluice acquire(ServletContext context, String location) throws ServletException {
        synchronized (context) {
            Shared shared = (Shared) context.getAttribute(ENGINE_ATTRIBUTE);
            if (shared == null) {
                String resolved = location != null && !location.isBlank() ? location.trim()
                        : System.getProperty(SluiceConfig.CONFIG_LOCATION, DEFAULT_CONFIG);
                SluiceConfig config;
                try {
                    config = SluiceConfig.load(read(context, resolved));
                } catch (ConfigurationException e) {
                    throw new ServletException("Sluice configuration " + resolved + ": " + e.getMessage(), e);
                }
                Sluice.Builder builder = Sluice.builder(config);
                if (context.getAttribute(CLOCK_ATTRIBUTE) instanceof TimeMeter clock) {
                    builder.clock(clock);
                }
                Sluice engine = builder.build();
                try {
                    checkThreadPoolsAreServed(context, engine, resolved);
                } catch (ServletException | RuntimeException e) {
                    engine.close();
                    throw e;
                }
                shared = new Shared(engine);
                context.setAttribute(ENGINE_ATTRIBUTE, shared);
            }
            shared.users++;
            return shared.engine;
        }
    }

    /**
     * The application's engine if one is running, else {@code null}: for reading its state
     * ({@link Sluice#poolStats()}, {@link Sluice#breakerStats()}). Do not close it.
     */
    public static Sluice engine(ServletContext context) {
        return context.getAttribute(ENGINE_ATTRIBUTE) instanceof Shared shared ? shared.engine : null;
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

    /** A {@code threads} pool only works where an {@link IsolatingServlet} serves the path: isolation must never silently not happen. */
    private static void checkThreadPoolsAreServed(ServletContext context, Sluice engine, String location) throws ServletException {
        List<String> mappings = new ArrayList<>();
        for (ServletRegistration registration : context.getServletRegistrations().values()) {
            if (IsolatingServlet.class.getName().equals(registration.getClassName())) {
                mappings.addAll(registration.getMappings());
            }
        }
        List<String> unserved = engine.threadPoolRulesOutside(mappings);
        if (!unserved.isEmpty()) {
            throw new ServletException("Sluice configuration " + location + ": " + String.join("; ", unserved)
                    + " names a threads pool, but no IsolatingServlet serves that path"
                    + (mappings.isEmpty() ? " (none is declared)" : " (IsolatingServlet mappings: " + mappings + ")")
                    + ". Declare dev.sluice.servlet.IsolatingServlet there, with init-param delegate naming the"
                    + " application's servlet, or set the pool's mode to permits.");
        }
    }

    private static Properties read(ServletContext context, String location) throws ServletException {
        Properties properties = new Properties();
        try (InputStream in = open(context, location)) {
            if (in == null) {
                throw new ServletException("Sluice configuration " + location + " not found");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        } catch (NoSuchFileException e) {
            throw new ServletException("Sluice configuration " + location + " not found", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ServletException("Sluice configuration " + location + " cannot be read: " + e.getMessage(), e);
        }
        return properties;
    }

    private static InputStream open(ServletContext context, String location) throws IOException, ServletException {
        if (location.startsWith("classpath:")) {
            String name = location.substring("classpath:".length());
            name = name.startsWith("/") ? name.substring(1) : name;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return (loader != null ? loader : SluiceServletContext.class.getClassLoader()).getResourceAsStream(name);
        }
        if (location.startsWith("file:")) {
            return Files.newInputStream(Path.of(location.substring("file:".length())));
        }
        if (location.startsWith("/")) {
            return context.getResourceAsStream(location);
        }
        throw new ServletException("Sluice configuration location '" + location
                + "': expected /WEB-INF/..., classpath:... or file:...");
    }

    /** The engine and how many entry points use it; guarded by the servlet context's monitor. */
    private static final class Shared {
        private final Sluice engine;
        private int users;

        Shared(Sluice engine) {
            this.engine = engine;
        }
    }
}
