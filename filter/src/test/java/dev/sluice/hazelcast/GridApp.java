package dev.sluice.hazelcast;

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

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import dev.sluice.servlet.SluiceFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One instance of a web application on a real Jetty 12 server on 127.0.0.1: SluiceFilter declared
 * as in web.xml (configuration from a file) in front of a servlet that answers "ok". The
 * application can be stopped and started again in the same server, as a redeploy does.
 */
final class GridApp implements AutoCloseable {

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final Server server;
    private final ServletContextHandler context;
    private final URI base;

    private GridApp(String properties, Path directory, Map<String, Object> attributes) throws Exception {
        Path config = Files.createTempFile(directory, "sluice", ".properties");
        Files.writeString(config, properties);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        context = new ServletContextHandler("/app");
        attributes.forEach(context::setAttribute);
        FilterHolder filter = new FilterHolder(SluiceFilter.class);
        filter.setInitParameter("config", "file:" + config);
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new OkServlet()), "/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app");
    }

    /** Starts the server with the application; {@code attributes} are set on its context first. */
    static GridApp start(String properties, Path directory, Map<String, Object> attributes) throws Exception {
        return new GridApp(properties, directory, attributes);
    }

    /** Stops the web application (the filter's destroy runs) and leaves the server running. */
    void undeploy() throws Exception {
        context.stop();
    }

    /** Starts the web application again, with a new filter instance. */
    void deploy() throws Exception {
        context.start();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }

    private static final class OkServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("ok");
        }
    }
}
