package dev.sluice.it.demo;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/**
 * Deploys the demo WAR, unchanged, on an embedded Tomcat 11, in a JVM of its own whose class path
 * holds Tomcat only, as a standalone Tomcat's does. Takes the arguments and system properties of
 * {@link DemoServer} ({@code demo.work-dir} is Tomcat's base directory) and announces itself alike.
 * The defaults that a standalone Tomcat's {@code conf/web.xml} gives every application are those of
 * {@link Tomcat#addDefaultMimeTypeMappings} only: the shop needs no JSP and no default servlet.
 */
public final class TomcatDemoServer {

    private TomcatDemoServer() {
    }

    public static void main(String[] args) throws Exception {
        Path war = Launch.war(args);
        Path base = Files.createDirectories(Path.of(System.getProperty("demo.work-dir", "target/tomcat")).toAbsolutePath());
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.getHost().setAppBase(Files.createDirectories(base.resolve("webapps")).toString());
        Connector connector = new Connector();
        connector.setProperty("address", Launch.host());
        connector.setPort(Launch.port());
        connector.setProperty("maxThreads", Integer.toString(Launch.threads()));
        tomcat.setConnector(connector);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context shop = tomcat.addWebapp(Launch.contextPath(), war.toAbsolutePath().toString());
        Tomcat.addDefaultMimeTypeMappings(shop);
        ((StandardContext) shop).setFailCtxIfServletStartFails(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "tomcat-stop"));
        tomcat.start();
        if (shop.getState() != LifecycleState.STARTED) {
            System.err.println("the shop did not start: " + shop.getState());
            System.exit(1);
        }
        Launch.announce(connector.getLocalPort());
        tomcat.getServer().await();
    }
}
