package dev.sluice.servlet;

import java.util.Set;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Makes sure a web application's engine is closed when the application stops, even if an entry
 * point could not give it back: a JAX-RS runtime that never calls the feature's {@code @PreDestroy}
 * (RESTEasy) would otherwise leave its store and threads behind on every redeploy. Containers run
 * it through {@code META-INF/services}; an application whose container does not scan for
 * initializers declares it in {@code web.xml} as a {@code <listener>}.
 *
 * <p>Listeners hear of the context's destruction after its filters and servlets are destroyed, so
 * the entry points release first and this closes only what is left. Stateless and thread-safe.
 */
public final class SluiceInitializer implements ServletContainerInitializer, ServletContextListener {

    /** Created by the container. */
    public SluiceInitializer() {
        // stateless
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        SluiceServletContext.forgetFailure(context);
        context.addListener(this);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        SluiceServletContext.closeRemaining(event.getServletContext());
    }
}
