package dev.sluice.it.jaxrs;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.Principal;

import org.slf4j.MDC;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * Gives each request the context an application would: an MDC entry from {@code X-Request-Id}, the
 * application's class loader, and a principal from {@code X-User}; removes them when the request
 * thread is done.
 */
public final class RequestContextFilter implements Filter {

    /** The class loader the "application" runs with; pool threads must see it too. */
    static final ClassLoader APP_LOADER = new URLClassLoader("jaxrs-webapp", new URL[0], RequestContextFilter.class.getClassLoader());

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
