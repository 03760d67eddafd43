package dev.sluice.jaxrs;

import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.Application;

/**
 * The JAX-RS application of every test server, named by class in the servlet's init-params so
 * that Jersey and RESTEasy start it the same way; the test sets its classes just before starting.
 */
public class TestApplication extends Application {

    static volatile Set<Class<?>> classes = Set.of();
    static volatile Map<String, Object> properties = Map.of();

    @Override
    public Set<Class<?>> getClasses() {
        return classes;
    }

    @Override
    public Map<String, Object> getProperties() {
        return properties;
    }
}
