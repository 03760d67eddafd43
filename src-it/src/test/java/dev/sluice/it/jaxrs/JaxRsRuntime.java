package dev.sluice.it.jaxrs;

import java.util.ArrayList;
import java.util.List;

import org.glassfish.jersey.servlet.ServletContainer;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;

import dev.sluice.jaxrs.SluiceFeature;
import jakarta.servlet.Servlet;
import jakarta.ws.rs.core.Application;

/** The JAX-RS implementations the suite runs on, each as the servlet web.xml would declare. */
enum JaxRsRuntime {
    JERSEY(ServletContainer.class),
    RESTEASY(HttpServlet30Dispatcher.class);

    private final Class<? extends Servlet> servlet;

    JaxRsRuntime(Class<? extends Servlet> servlet) {
        this.servlet = servlet;
    }

    Class<? extends Servlet> servlet() {
        return servlet;
    }

    /** The servlet's init-params for an application mapped at {@code prefix + "/*"}, configured from {@code config}. */
    String[] initParams(Class<? extends Application> application, String prefix, String config) {
        List<String> params = new ArrayList<>(List.of("jakarta.ws.rs.Application", application.getName(),
                SluiceFeature.CONFIG, config));
        if (this == RESTEASY) {
            params.addAll(List.of("resteasy.servlet.mapping.prefix", prefix));
        }
        return params.toArray(String[]::new);
    }
}
