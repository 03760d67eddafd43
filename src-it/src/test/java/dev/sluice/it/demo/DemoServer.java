package dev.sluice.it.demo;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Deploys the demo WAR, unchanged, on an embedded Jetty 12 (EE 11) as a standalone Jetty deploys a
 * WAR: its own class loader, {@code web.xml}, and the WAR's service providers and initializers. The
 * README's demo command runs it ({@code mvn -Pdemo}), and so does each Jetty instance of the cluster
 * tests, in a JVM of its own.
 *
 * <p>The one argument is the WAR file. System properties:
 * <dl>
 *   <dt>{@code demo.http.port}</dt><dd>the HTTP port, default 8080; 0 picks a free one</dd>
 *   <dt>{@code demo.http.host}</dt><dd>the address to listen on, default {@code 127.0.0.1}</dd>
 *   <dt>{@code demo.http.threads}</dt><dd>the most threads serving requests, default 200 (Jetty's and
 *       Tomcat's default)</dd>
 *   <dt>{@code demo.context-path}</dt><dd>where the shop is deployed, default {@code /}</dd>
 *   <dt>{@code demo.work-dir}</dt><dd>where the WAR is unpacked, default a temporary directory</dd>
 *   <dt>{@code demo.watch-pid}</dt><dd>a process (the tests' JVM) whose end ends this one too, so that
 *       no instance outlives its tests</dd>
 * </dl>
 * Every other system property reaches the application as it is: {@code sluice.*} overrides Sluice's
 * configuration keys, {@code shop.*} the shop's. Once the shop serves requests, it prints
 * "Sluice demo shop listening on" followed by its URL.
 */
public final class DemoServer {

    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        Path war = Launch.war(args);
        Server server = new Server(new QueuedThreadPool(Launch.threads()));
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(Launch.host());
        connector.setPort(Launch.port());
        server.addConnector(connector);

        WebAppContext shop = new WebAppContext();
        shop.setWar(war.toString());
        shop.setContextPath(Launch.contextPath().isEmpty() ? "/" : Launch.contextPath());
        shop.setThrowUnavailableOnStartupException(true);
        String workDir = System.getProperty("demo.work-dir");
        if (workDir != null) {
            shop.setTempDirectory(Files.createDirectories(Path.of(workDir)).toFile());
        }
        server.setHandler(shop);
        // Ctrl-C or a plain kill stops the shop cleanly: Sluice leaves the Hazelcast cluster.
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            if (shop.getUnavailableException() == null) {
                e.printStackTrace();
            } else {
                // Jetty has reported the shop's failure ("Failed startup of context"): not twice.
                System.err.println("the shop did not start");
            }
            server.stop();
            System.exit(1);
        }
        Launch.announce(connector.getLocalPort());
        server.join();
    }
}
