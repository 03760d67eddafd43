package dev.sluice.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.core.Sluice;
import jakarta.servlet.DispatcherType;

/** How the filter starts and stops: configuration lookup, errors that stop deployment, the shared engine. */
class SluiceFilterDeploymentTest {

    @TempDir
    Path directory;

    private static Server serverWith(ServletContextHandler context) {
        Server server = new Server();
        server.setHandler(context);
        return server;
    }

    private static ServletContextHandler contextWithFilter(String configLocation) {
        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder filter = new FilterHolder(SluiceFilter.class);
        if (configLocation != null) {
            filter.setInitParameter("config", configLocation);
        }
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        return context;
    }

    private Throwable startFailure(String properties) throws Exception {
        Path config = Files.writeString(directory.resolve("bad.properties"), properties);
        Server server = serverWith(contextWithFilter("file:" + config));
        try {
            server.start();
            return null;
        } catch (Exception e) {
            return e;
        } finally {
            server.stop();
        }
    }

    private static Throwable rootMessageHolder(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && (cause.getMessage() == null || !cause.getMessage().startsWith("Sluice configuration"))) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void aBadLimitStopsTheApplicationNamingTheKeyAndValue() throws Exception {
        Path config = directory.resolve("bad.properties");
        Throwable failure = startFailure("""
                sluice.policy.orders.path=/orders/*
                sluice.policy.orders.limit=5/minnute
                """);
        assertThat(failure).isNotNull();
        assertThat(rootMessageHolder(failure)).hasMessage("Sluice configuration file:" + config
                + ": sluice.policy.orders.limit=5/minnute: invalid limit '5/minnute': expected a time unit"
                + " (s, sec, second(s), m, min, minute(s), h, hour(s), d, day(s)), found 'minnute' at position 3");
    }

    @Test
    void aMisspelledKeyStopsTheApplication() throws Exception {
        Throwable failure = startFailure("""
                sluice.policy.orders.path=/orders/*
                sluice.policy.orders.limit=5/minute
                sluice.policy.orders.enforced=true
                """);
        assertThat(rootMessageHolder(failure)).hasMessageContaining("sluice.policy.orders.enforced=true: unknown key");
    }

    @Test
    void aTrustedProxyListThatTrustsEveryoneStopsTheApplication() throws Exception {
        Path config = directory.resolve("bad.properties");
        Throwable failure = startFailure("""
                sluice.trusted-proxies=10.0.0.0/8, 0.0.0.0/0
                sluice.policy.orders.path=/orders/*
                sluice.policy.orders.limit=5/minute
                """);
        assertThat(rootMessageHolder(failure)).hasMessage("Sluice configuration file:" + config
                + ": sluice.trusted-proxies=10.0.0.0/8, 0.0.0.0/0: trusted proxy list '10.0.0.0/8, 0.0.0.0/0' trusts every"
                + " IPv4 address, so every client could choose its own address by sending the client address header;"
                + " list only the addresses of your proxies");
    }

    @Test
    void aMissingFileStopsTheApplication() throws Exception {
        Server server = serverWith(contextWithFilter("file:" + directory.resolve("absent.properties")));
        try {
            assertThatThrownBy(server::start).satisfies(failure -> assertThat(rootMessageHolder(failure))
                    .hasMessage("Sluice configuration file:" + directory.resolve("absent.properties") + " not found"));
        } finally {
            server.stop();
        }
    }

    @Test
    void anUnknownLocationSchemeStopsTheApplication() throws Exception {
        Server server = serverWith(contextWithFilter("http://config.example/sluice.properties"));
        try {
            assertThatThrownBy(server::start).satisfies(failure -> assertThat(rootMessageHolder(failure))
                    .hasMessage("Sluice configuration location 'http://config.example/sluice.properties':"
                            + " expected /WEB-INF/..., classpath:... or file:..."));
        } finally {
            server.stop();
        }
    }

    @Test
    void readsAClasspathResource() throws Exception {
        ServletContextHandler context = contextWithFilter("classpath:sluice-test.properties");
        Server server = serverWith(context);
        try {
            server.start();
            Sluice engine = engineOf(context);
            assertThat(engine.config().policies()).extracting(p -> p.name()).containsExactly("cp");
        } finally {
            server.stop();
        }
    }

    @Test
    void defaultsToWebInfSluiceProperties() throws Exception {
        Path webInf = Files.createDirectories(directory.resolve("root/WEB-INF"));
        Files.writeString(webInf.resolve("sluice.properties"), "sluice.policy.default.path=/*\nsluice.policy.default.limit=1/s\n");
        ServletContextHandler context = contextWithFilter(null);
        context.setBaseResourceAsPath(directory.resolve("root"));
        Server server = serverWith(context);
        try {
            server.start();
            assertThat(engineOf(context).config().policies()).extracting(p -> p.name()).containsExactly("default");
        } finally {
            server.stop();
        }
    }

    @Test
    void twoEntryPointsShareOneEngineAndTheLastToStopClosesIt() throws Exception {
        Path config = Files.writeString(directory.resolve("shared.properties"), "sluice.policy.s.path=/*\nsluice.policy.s.limit=1/s\n");
        ServletContextHandler context = contextWithFilter("file:" + config);
        FilterHolder second = new FilterHolder(SluiceFilter.class);
        second.setName("second");
        second.setInitParameter("config", "file:" + config);
        context.addFilter(second, "/other/*", EnumSet.of(DispatcherType.REQUEST));
        Server server = serverWith(context);
        try {
            server.start();
            jakarta.servlet.ServletContext servletContext = context.getServletContext();
            Sluice engine = engineOf(context);
            Sluice again = SluiceServletContext.acquire(servletContext, null);
            SluiceServletContext.release(servletContext);
            assertThat(again).isSameAs(engine);
            assertThat(servletContext.getAttribute(SluiceServletContext.ENGINE_ATTRIBUTE)).isNotNull();
        } finally {
            server.stop();
        }
        assertThat(context.getServletContext().getAttribute(SluiceServletContext.ENGINE_ATTRIBUTE)).isNull();
    }

    private static Sluice engineOf(ServletContextHandler context) throws Exception {
        Object shared = context.getServletContext().getAttribute(SluiceServletContext.ENGINE_ATTRIBUTE);
        assertThat(shared).isNotNull();
        // The attribute holds the engine with its user count; acquire returns the same instance.
        Sluice engine = SluiceServletContext.acquire(context.getServletContext(), null);
        SluiceServletContext.release(context.getServletContext());
        return engine;
    }
}
