package dev.sluice.it;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;

/**
 * A web application declared as in web.xml (filters and servlets by class name, with init-params
 * and mappings), started on a real Jetty 12 (EE11) or Tomcat 11 on 127.0.0.1.
 */
public final class TestServer implements AutoCloseable {

    /** The servlet containers the suite runs on. */
    public enum Kind { JETTY, TOMCAT }

    private final Stopper stop;
    private final URI base;

    private TestServer(Stopper stop, URI base) {
        this.stop = stop;
        this.base = base;
    }

    public static App app() {
        return new App();
    }

    public URI base() {
        return base;
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    @Override
    public void close() {
        try {
            stop.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the server did not stop", e);
        }
    }

    @FunctionalInterface
    private interface Stopper {
        void stop() throws Exception;
    }

    /** What to deploy. */
    public static final class App {
        private final List<Component> filters = new ArrayList<>();
        private final List<Component> servlets = new ArrayList<>();
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private final List<ServletContainerInitializer> initializers = new ArrayList<>();
        private int maxThreads = 50;

        public App filter(Class<? extends Filter> type, String mapping, String... initParams) {
            filters.add(new Component("filter" + filters.size(), type.getName(), List.of(mapping), params(initParams)));
            return this;
        }

        public App sluiceFilter(String properties, Path directory) throws Exception {
            Path config = Files.createTempFile(directory, "sluice", ".properties");
            Files.writeString(config, properties);
            return filter(dev.sluice.servlet.SluiceFilter.class, "/*", "config", "file:" + config);
        }

        public App servlet(Class<? extends Servlet> type, String mapping, String... initParams) {
            servlets.add(new Component("servlet" + servlets.size(), type.getName(), List.of(mapping), params(initParams)));
            return this;
        }

        /** An initializer to run as a container runs those it finds in {@code META-INF/services}. */
        public App initializer(ServletContainerInitializer initializer) {
            initializers.add(initializer);
            return this;
        }

        public App attribute(String name, Object value) {
            attributes.put(name, value);
            return this;
        }

        /** The container's request threads. */
        public App maxThreads(int threads) {
            this.maxThreads = threads;
            return this;
        }

        private static Map<String, String> params(String... pairs) {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                map.put(pairs[i], pairs[i + 1]);
            }
            return map;
        }

        public TestServer start(Kind kind, Path directory) throws Exception {
            return kind == Kind.JETTY ? startJetty() : startTomcat(directory);
        }

        private TestServer startJetty() throws Exception {
            QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
            threads.setName("jetty");
            Server server = new Server(threads);
            ServerConnector connector = new ServerConnector(server, 1, 1);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            connector.setAcceptQueueSize(512);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            attributes.forEach(context::setAttribute);
            initializers.forEach(context::addServletContainerInitializer);
            for (Component filter : filters) {
                FilterHolder holder = new FilterHolder();
                holder.setName(filter.name());
                holder.setClassName(filter.className());
                holder.setAsyncSupported(true);
                holder.setInitParameters(filter.initParams());
                context.addFilter(holder, filter.mappings().get(0), EnumSet.of(DispatcherType.REQUEST));
            }
            for (Component servlet : servlets) {
                ServletHolder holder = new ServletHolder();
                holder.setName(servlet.name());
                holder.setClassName(servlet.className());
                holder.setAsyncSupported(true);
                holder.setInitOrder(1);
                holder.setInitParameters(servlet.initParams());
                context.addServlet(holder, servlet.mappings().get(0));
            }
            server.setHandler(context);
            try {
                server.start();
            } catch (Exception e) {
                server.stop();
                throw e;
            }
            return new TestServer(server::stop, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
        }

        private TestServer startTomcat(Path directory) throws Exception {
            Tomcat tomcat = new Tomcat();
            Path base = Files.createTempDirectory(directory, "tomcat");
            tomcat.setBaseDir(base.toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            connector.setProperty("maxThreads", Integer.toString(maxThreads));
            connector.setProperty("acceptCount", "512");
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", base.toString());
            Map<String, Object> initial = Map.copyOf(attributes);
            context.addServletContainerInitializer((classes, servletContext) -> initial.forEach(servletContext::setAttribute), null);
            initializers.forEach(initializer -> context.addServletContainerInitializer(initializer, null));
            for (Component filter : filters) {
                FilterDef definition = new FilterDef();
                definition.setFilterName(filter.name());
                definition.setFilterClass(filter.className());
                definition.setAsyncSupported("true");
                filter.initParams().forEach(definition::addInitParameter);
                context.addFilterDef(definition);
                FilterMap map = new FilterMap();
                map.setFilterName(filter.name());
                map.addURLPattern(filter.mappings().get(0));
                map.setDispatcher(DispatcherType.REQUEST.name());
                context.addFilterMap(map);
            }
            for (Component servlet : servlets) {
                Wrapper wrapper = Tomcat.addServlet(context, servlet.name(), servlet.className());
                wrapper.setAsyncSupported(true);
                wrapper.setLoadOnStartup(1);
                servlet.initParams().forEach(wrapper::addInitParameter);
                context.addServletMapping(servlet.mappings().get(0), servlet.name());
            }
            tomcat.start();
            if (context.getState() != LifecycleState.STARTED) {
                tomcat.stop();
                tomcat.destroy();
                throw new IllegalStateException("Tomcat did not start the application: " + context.getState());
            }
            return new TestServer(() -> {
                tomcat.stop();
                tomcat.destroy();
            }, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
        }
    }

    private record Component(String name, String className, List<String> mappings, Map<String, String> initParams) {
    }
}
