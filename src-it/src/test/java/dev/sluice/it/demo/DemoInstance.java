package dev.sluice.it.demo;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

/**
 * One instance of the demo shop: the built WAR deployed on Jetty 12 ({@link DemoServer}) or Tomcat 11
 * ({@link TomcatDemoServer}) in a JVM of its own, whose class path holds that container only, on
 * loopback, with an embedded Hazelcast member. Its output goes to a log file next to its work
 * directory. Killed with {@link #kill()} as a crash would kill it; {@link #close()} stops it cleanly
 * and, failing that within a bound, kills it. The integration tests and the benchmarks start
 * instances through it; the system properties {@code it.demo.war} and {@code it.demo.jetty.classpath}
 * (or {@code it.demo.tomcat.classpath}) must name the WAR and the container's class path (failsafe
 * and {@code bench.sh} set them). Not thread-safe: start, await and stop it from one thread; threads
 * started after {@link #awaitReady} may call {@link #uri}.
 */
public final class DemoInstance implements AutoCloseable {

    /** The servlet containers an instance can run in, with the class path of each. */
    public enum Container {
        JETTY(DemoServer.class, "it.demo.jetty.classpath"),
        TOMCAT(TomcatDemoServer.class, "it.demo.tomcat.classpath");

        private final Class<?> launcher;
        private final String classpathProperty;

        Container(Class<?> launcher, String classpathProperty) {
            this.launcher = launcher;
            this.classpathProperty = classpathProperty;
        }
    }

    /** The built WAR. */
    private static final Path WAR = Path.of(required("it.demo.war"));

    private final String name;
    private final int hazelcastPort;
    private final Process process;
    private final Path log;
    private final Path work;
    private URI base;

    private DemoInstance(String name, int hazelcastPort, Process process, Path log, Path work) {
        this.name = name;
        this.hazelcastPort = hazelcastPort;
        this.process = process;
        this.log = log;
        this.work = work;
    }

    /**
     * Starts an instance for the tests: C1 only and a small serial heap, as four JVMs share two
     * cores there; {@link #awaitReady} waits for it.
     *
     * @param properties system properties such as {@code sluice.hazelcast.members=...}, as {@code key=value}
     */
    static DemoInstance start(Container container, String name, Path directory, int hazelcastPort, List<String> properties)
            throws IOException {
        return start(container, name, directory, hazelcastPort, properties,
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m"));
    }

    /**
     * Starts an instance in a JVM with the given options; {@link #awaitReady} waits for it.
     *
     * @param directory where its log and work directory go, in a subdirectory {@code name}
     * @param properties system properties such as {@code sluice.hazelcast.members=...}, as {@code key=value}
     * @param jvmOptions options of its JVM, such as {@code -Xmx512m}
     */
    public static DemoInstance start(Container container, String name, Path directory, int hazelcastPort,
            List<String> properties, List<String> jvmOptions) throws IOException {
        Path home = Files.createDirectories(directory.resolve(name));
        Path log = home.resolve("instance.log");
        Path work = home.resolve("work");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", required(container.classpathProperty)));
        command.add("-Ddemo.http.port=0");
        command.add("-Ddemo.work-dir=" + work);
        command.add("-Ddemo.watch-pid=" + ProcessHandle.current().pid());
        command.add("-Dsluice.hazelcast.port=" + hazelcastPort);
        command.add("-Dhazelcast.wait.seconds.before.join=0");
        properties.forEach(property -> command.add("-D" + property));
        command.add(container.launcher.getName());
        command.add(WAR.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new DemoInstance(name, hazelcastPort, process, log, work);
    }

    /** Waits until the shop serves requests, at most {@code seconds}; fails with its log if it died or did not start. */
    public DemoInstance awaitReady(int seconds) {
        try {
            base = await(name + " ready").atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                    .until(this::announcedUri, Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + " did not start within " + seconds + " s:\n" + tail(), e);
        }
        return this;
    }

    /** The URI from the log's ready line, or {@code null} while there is none; fails if the process has exited. */
    private URI announcedUri() throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith(Launch.READY)) {
                return URI.create(line.substring(Launch.READY.length()).trim());
            }
        }
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
        }
        return null;
    }

    /**
     * Waits until the process has ended, at most {@code seconds}, as it does when the shop fails to
     * start; fails with its log if it serves requests or still runs then.
     *
     * @return its exit status
     */
    int awaitExit(int seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " still runs after " + seconds + " s:\n" + tail());
        }
        return process.exitValue();
    }

    /** Every line it has printed so far. */
    List<String> output() throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    String name() {
        return name;
    }

    /** {@code 127.0.0.1:port} of its Hazelcast member. */
    String member() {
        return "127.0.0.1:" + hazelcastPort;
    }

    /** The URL of {@code path} in the shop, such as {@code api/orders} (relative to its context path). */
    public URI uri(String path) {
        return base.resolve(path);
    }

    /** Kills the process as a crash would: no shutdown, its Hazelcast member vanishes. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL for 30 s");
        }
    }

    /** Asks the process to stop (Jetty stops the shop, which leaves the cluster), without waiting. */
    void stop() {
        process.destroy();
    }

    /**
     * Stops the process, and kills it if it has not ended within 20 s; then deletes the unpacked WAR
     * (about 35 MB), keeping the log.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return;
        }
        if (Files.isDirectory(work)) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The end of its log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A port that was free on loopback a moment ago, for a Hazelcast member. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven (mvn verify)");
        }
        return value;
    }
}
