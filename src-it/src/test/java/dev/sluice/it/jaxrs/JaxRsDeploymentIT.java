package dev.sluice.it.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sluice.core.ConfigurationException;
import dev.sluice.it.TestServer;
import jakarta.servlet.Servlet;
import jakarta.ws.rs.core.Application;

/**
 * Isolation that could not happen stops deployment, with a message naming {@code Class#method}, the
 * annotation and the value. Deployment is the same on every container, so these run on Jetty only,
 * which reports why an application failed to start.
 */
class JaxRsDeploymentIT {

    private static final String CONFIG = """
            sluice.pool.work.threads=2
            sluice.breaker.flaky.consecutive-failures=2
            """;

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(JaxRsRuntime.class)
    void anUnknownPoolStopsDeployment(JaxRsRuntime runtime) throws Exception {
        assertDeploymentFails(runtime.servlet(), runtime, BadApps.UnknownPoolApp.class,
                "dev.sluice.it.jaxrs.BadApps$UnknownPool#get: @Isolated(value = \"nope\"): no pool 'nope' is configured:"
                        + " set sluice.pool.nope.threads (and .queue, .timeout, .mode) (configured pools: work)");
    }

    @ParameterizedTest
    @EnumSource(JaxRsRuntime.class)
    void anUnknownBreakerStopsDeployment(JaxRsRuntime runtime) throws Exception {
        assertDeploymentFails(runtime.servlet(), runtime, BadApps.UnknownBreakerApp.class,
                "dev.sluice.it.jaxrs.BadApps$UnknownBreaker#get: @CircuitBreaker(value = \"nope\"): no breaker 'nope' is"
                        + " configured: set sluice.breaker.nope.consecutive-failures or .failure-rate (configured breakers: flaky)");
    }

    @ParameterizedTest
    @EnumSource(JaxRsRuntime.class)
    void aServerSentEventsMethodCannotBeIsolated(JaxRsRuntime runtime) throws Exception {
        assertDeploymentFails(runtime.servlet(), runtime, BadApps.StreamingApp.class,
                "dev.sluice.it.jaxrs.BadApps$Streaming#get: @Isolated(value = \"work\"): a Server-Sent Events method streams"
                        + " past any pool's deadline");
    }

    @Test
    void jerseyWithoutItsAdapterStopsDeployment() throws Exception {
        assertDeploymentFails(JaxRsRuntime.JERSEY.servlet(), JaxRsRuntime.JERSEY, BadApps.WithoutAdapterApp.class,
                "dev.sluice.it.jaxrs.BadApps$OnWork#get: @Isolated(value = \"work\"): this JAX-RS implementation"
                        + " (org.glassfish.jersey.");
        assertDeploymentFails(JaxRsRuntime.JERSEY.servlet(), JaxRsRuntime.JERSEY, BadApps.WithoutAdapterApp.class,
                "has no Sluice adapter to run resource methods on a pool. On Jersey register dev.sluice.jaxrs.jersey.JerseyIsolation");
    }

    @Test
    void jerseysManagedAsyncAndIsolatedDoNotMix() throws Exception {
        assertDeploymentFails(JaxRsRuntime.JERSEY.servlet(), JaxRsRuntime.JERSEY, BadApps.ManagedApp.class,
                "dev.sluice.it.jaxrs.BadApps$Managed#get: @Isolated(value = \"work\"): @ManagedAsync already moves the"
                        + " method to Jersey's executor; use one of the two");
    }

    @Test
    void restEasysSynchronousDispatcherCannotIsolate() throws Exception {
        assertDeploymentFails(HttpServletDispatcher.class, JaxRsRuntime.RESTEASY, BadApps.OnWorkApp.class,
                "dev.sluice.it.jaxrs.BadApps$OnWork#get: @Isolated(value = \"work\"): RESTEasy's"
                        + " org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher holds the container thread");
    }

    private void assertDeploymentFails(Class<? extends Servlet> servlet, JaxRsRuntime runtime,
            Class<? extends Application> application, String message) throws Exception {
        Path config = Files.writeString(Files.createTempFile(directory, "sluice", ".properties"), CONFIG);
        TestServer.App app = TestServer.app()
                .servlet(servlet, "/api/*", runtime.initParams(application, "/api", "file:" + config));
        assertThatThrownBy(() -> app.start(TestServer.Kind.JETTY, directory).close())
                .satisfies(failure -> assertThat(configurationFailure(failure)).hasMessageContaining(message));
    }

    /** The runtime and the container wrap what the feature threw; find it. */
    private static ConfigurationException configurationFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigurationException configuration) {
                return configuration;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                ConfigurationException found = configurationFailure(suppressed);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
