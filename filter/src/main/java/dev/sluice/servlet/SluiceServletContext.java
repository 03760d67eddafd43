package dev.sluice.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

import dev.sluice.core.ConfigurationException;
import dev.sluice.core.Sluice;
import dev.sluice.core.SluiceConfig;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

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

    /**
     * The context attribute in which an application hands Sluice its own
     * {@code com.hazelcast.core.HazelcastInstance} for {@code sluice.hazelcast.mode=provided}. Set it
     * before the filter starts (in a {@code ServletContextListener}); Sluice never shuts it down.
     */
    public static final String HAZELCAST_INSTANCE_ATTRIBUTE = "dev.sluice.hazelcast.instance";

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
                Sluice engine;
                try {
                    Sluice.Builder builder = Sluice.builder(SluiceConfig.load(read(context, resolved)));
                    if (context.getAttribute(CLOCK_ATTRIBUTE) instanceof TimeMeter clock) {
                        builder.clock(clock);
                    }
                    Object hazelcast = context.getAttribute(HAZELCAST_INSTANCE_ATTRIBUTE);
                    if (hazelcast != null) {
                        builder.hazelcastInstance(hazelcast);
                    }
                    engine = builder.build();
                } catch (ConfigurationException e) {
                    throw new ServletException("Sluice configuration " + resolved + ": " + e.getMessage(), e);
                }
                shared = new Shared(engine);
                context.setAttribute(ENGINE_ATTRIBUTE, shared);
            }
            shared.users++;
            return shared.engine;
        }
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
