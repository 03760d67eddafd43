package dev.sluice.jaxrs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.sluice.core.ManualClock;
import dev.sluice.core.Sluice;
import dev.sluice.servlet.SluiceFilter;
import dev.sluice.servlet.SluiceInitializer;
import dev.sluice.servlet.SluiceServletContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 (ee10) on 127.0.0.1 and a free port, running one JAX-RS runtime's servlet over
 * {@link TestApplication}, optionally behind the Sluice servlet filter, with a manual clock.
 */
final class TestServer implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Server server;
    private final ServletContextHandler context;
    private final URI base;

    private TestServer(Server server, ServletContextHandler context, URI base) {
        this.server = server;
        this.context = context;
        this.base = base;
    }

    /** What to deploy; every field but the runtime and the classes is optional. */
    record Setup(Class<? extends Servlet> runtime, Set<Class<?>> classes, Map<String, Object> properties,
            String configuration, boolean filter, ManualClock clock) {

        Setup(Class<? extends Servlet> runtime, Set<Class<?>> classes) {
            this(runtime, classes, Map.of(), null, false, ManualClock.startingNow());
        }

        Setup withConfiguration(String text) {
            return new Setup(runtime, classes, properties, text, filter, clock);
        }

        Setup withProperties(Map<String, Object> values) {
            return new Setup(runtime, classes, values, configuration, filter, clock);
        }

        Setup behindFilter() {
            return new Setup(runtime, classes, properties, configuration, true, clock);
        }

        Setup withClock(ManualClock manual) {
            return new Setup(runtime, classes, properties, configuration, filter, manual);
        }
    }

    /** Starts the server; throws whatever stopped the deployment. */
    static TestServer start(Setup setup) throws Exception {
        TestApplication.classes = setup.classes();
        TestApplication.properties = setup.properties();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.setAttribute(SluiceServletContext.CLOCK_ATTRIBUTE, setup.clock());
        // A container runs it from META-INF/services; embedded Jetty needs it named.
        context.addServletContainerInitializer(new SluiceInitializer());
        String location = null;
        if (setup.configuration() != null) {
            Path file = Files.createTempFile("sluice", ".properties");
            file.toFile().deleteOnExit();
            Files.writeString(file, setup.configuration());
            location = "file:" + file;
        }
        if (setup.filter()) {
            FilterHolder filter = new FilterHolder(SluiceFilter.class);
            filter.setAsyncSupported(true);
            if (location != null) {
                filter.setInitParameter("config", location);
            }
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        ServletHolder jaxrs = new ServletHolder(setup.runtime());
        jaxrs.setInitOrder(1);
        jaxrs.setAsyncSupported(true);
        jaxrs.setInitParameter("jakarta.ws.rs.Application", TestApplication.class.getName());
        if (location != null) {
            jaxrs.setInitParameter(SluiceFeature.CONFIG, location);
        }
        context.addServlet(jaxrs, "/*");
        server.setHandler(context);
        try {
            server.start();
            if (!context.isAvailable() || context.getServletHandler().getServlets()[0].getUnavailableException() != null) {
                Throwable failure = context.getServletHandler().getServlets()[0].getUnavailableException();
                throw new ServletException("deployment failed", failure);
            }
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new TestServer(server, context, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    }

    ServletContext servletContext() {
        return context.getServletContext();
    }

    /** The web application's shared engine, as the filter and the feature see it. */
    Sluice engine() throws ServletException {
        Sluice engine = SluiceServletContext.acquire(servletContext(), null, false);
        SluiceServletContext.release(servletContext());
        return engine;
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String... headers)
            throws IOException, InterruptedException {
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the server, as a container undeploys an application. */
    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the server", e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
