package dev.sluice.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import dev.sluice.core.ManualClock;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A real Jetty 12 server on 127.0.0.1 with SluiceFilter declared as in web.xml (configuration from
 * a file) in front of a servlet that counts the requests reaching it.
 */
final class FilteredApp implements AutoCloseable {

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    final ManualClock clock = ManualClock.startingNow();
    final AtomicInteger served = new AtomicInteger();
    private final Server server;
    private final ServletContextHandler context;
    private final URI base;

    private FilteredApp(String properties, Path directory) throws Exception {
        Path config = Files.createTempFile(directory, "sluice", ".properties");
        Files.writeString(config, properties);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        context = new ServletContextHandler("/app");
        context.setAttribute(SluiceServletContext.CLOCK_ATTRIBUTE, clock);
        FilterHolder filter = new FilterHolder(SluiceFilter.class);
        filter.setInitParameter("config", "file:" + config);
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new CountingServlet(served)), "/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app");
    }

    static FilteredApp start(String properties, Path directory) throws Exception {
        return new FilteredApp(properties, directory);
    }

    ServletContextHandler context() {
        return context;
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, headers);
    }

    HttpResponse<String> send(String method, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(base.getPath() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }

    private static final class CountingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient AtomicInteger served;

        CountingServlet(AtomicInteger served) {
            this.served = served;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            served.incrementAndGet();
            response.setContentType("text/plain");
            response.getWriter().write("ok");
        }
    }
}
