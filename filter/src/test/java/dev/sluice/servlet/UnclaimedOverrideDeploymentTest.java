package dev.sluice.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import dev.sluice.core.ConfigurationException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;

/** The filter refuses to deploy a path-less policy that no annotation can claim (real Jetty 12). */
class UnclaimedOverrideDeploymentTest {

    @Test
    void aPolicyWithoutPathFailsDeploymentWhenNoAnnotationCanClaimIt() throws Exception {
        Path file = Files.createTempFile("sluice", ".properties");
        file.toFile().deleteOnExit();
        // meant as a filter policy, but the path is missing: it would limit nothing
        Files.writeString(file, "sluice.policy.api.limit=10/second\n");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder filter = new FilterHolder(SluiceFilter.class);
        filter.setInitParameter("config", "file:" + file);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new HttpServlet() {
            private static final long serialVersionUID = 1L;
        }, "/*");
        server.setHandler(context);
        try {
            // The filter's own exception, one line naming the file, the key and the value; no ServletException around it.
            assertThatThrownBy(server::start).isInstanceOf(ConfigurationException.class)
                    .hasMessage("Sluice configuration file:" + file + ": sluice.policy.api.limit=10/second: policy 'api'"
                            + " has no path and no annotation declares it (the JAX-RS feature dev.sluice.jaxrs.SluiceFeature is"
                            + " not deployed): set sluice.policy.api.path to the url-patterns it limits, or remove it")
                    .hasNoCause();
            assertThat(context.getServletContext().getAttribute(SluiceServletContext.ENGINE_ATTRIBUTE)).isNull();
        } finally {
            server.stop();
        }
    }
}
