package dev.sluice.servlet;

import java.util.Map;

import org.slf4j.MDC;

/**
 * What a request's work takes along from the thread that received the request to the thread that
 * runs it: the context class loader and the SLF4J MDC. Pool threads keep both from their previous
 * task unless told otherwise, so {@link #install()} replaces them and closing what it returns
 * clears the MDC and gives the thread its own loader back.
 *
 * <p>Used by {@link IsolatingServlet} and by the JAX-RS feature's adapters. Immutable; capture it on
 * the request thread, install it on the worker.
 */
public final class CarriedContext {

    private final ClassLoader loader;
    private final Map<String, String> diagnosticContext;

    private CarriedContext(ClassLoader loader, Map<String, String> diagnosticContext) {
        this.loader = loader;
        this.diagnosticContext = diagnosticContext;
    }

    /** The calling thread's context class loader and MDC. */
    public static CarriedContext capture() {
        return new CarriedContext(Thread.currentThread().getContextClassLoader(), MDC.getCopyOfContextMap());
    }

    /** Installs the captured context on the calling thread until the returned scope is closed. */
    public Installed install() {
        Thread thread = Thread.currentThread();
        Installed installed = new Installed(thread, thread.getContextClassLoader());
        thread.setContextClassLoader(loader);
        if (diagnosticContext == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(diagnosticContext);
        }
        return installed;
    }

    /** The captured context on a thread; closing it, on that thread, clears the MDC and restores the loader. */
    public static final class Installed implements AutoCloseable {
        private final Thread thread;
        private final ClassLoader previousLoader;

        private Installed(Thread thread, ClassLoader previousLoader) {
            this.thread = thread;
            this.previousLoader = previousLoader;
        }

        @Override
        public void close() {
            MDC.clear();
            thread.setContextClassLoader(previousLoader);
        }
    }
}
