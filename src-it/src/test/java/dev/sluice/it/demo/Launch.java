package dev.sluice.it.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the launchers ({@link DemoServer}, {@link TomcatDemoServer}) share: their argument, their
 * system properties and the line that announces them. Free of container classes, so each launcher
 * runs with its own container alone on the class path.
 */
final class Launch {

    /** The line that announces the URL. */
    static final String READY = "Sluice demo shop listening on ";

    private Launch() {
    }

    /** The WAR named by the arguments; also starts watching {@code demo.watch-pid}. */
    static Path war(String[] args) {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            System.err.println("usage: DemoServer path/to/sluice-demo.war");
            System.exit(2);
        }
        String watched = System.getProperty("demo.watch-pid");
        if (watched != null) {
            ProcessHandle.of(Long.parseLong(watched)).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(3)), () -> System.exit(3));
        }
        return Path.of(args[0]);
    }

    static String host() {
        return System.getProperty("demo.http.host", "127.0.0.1");
    }

    static int port() {
        return Integer.parseInt(System.getProperty("demo.http.port", "8080"));
    }

    /** The most request threads of the container ({@code demo.http.threads}); 200, both containers' default. */
    static int threads() {
        return Integer.parseInt(System.getProperty("demo.http.threads", "200"));
    }

    static String contextPath() {
        String path = System.getProperty("demo.context-path", "/");
        return path.equals("/") ? "" : path;
    }

    static void announce(int port) {
        System.out.println(READY + "http://" + host() + ":" + port + contextPath() + "/");
    }
}
