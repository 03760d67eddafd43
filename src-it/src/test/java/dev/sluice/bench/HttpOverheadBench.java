package dev.sluice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.servlets.DoSFilter;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import dev.sluice.core.Sluice;
import dev.sluice.servlet.SluiceFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

/**
 * Throughput and latency of a trivial endpoint on real Jetty 12 servers on loopback, loaded by
 * {@code wrk} with 10,000 API keys: bare Jetty, Jetty with a filter that does nothing (what any
 * filter costs before it works), Sluice's filter on the local store (limit never
 * reached, IETF headers on; a fixed hourly window, so that Hazelcast keeps each bucket for the rest
 * of the hour instead of the 5 s a bucket that is full again gets: 10,000 keys would otherwise
 * expire between their turns, and between the grid's rounds, and each return would cost a second
 * round trip), the same without rate-limit headers (to tell the engine's cost from the
 * headers' bytes), Jetty's DoSFilter, a hand-written Bucket4j filter, and Sluice on a
 * 2-member Hazelcast cluster. The variants run in alternating rounds (A..E, E..A, ...) so drift
 * cancels; throughput is reported as a ratio to bare Jetty in the same run, and so is the CPU time
 * the server's threads spend per request, which a busy machine disturbs far less, and the grid's as a
 * ratio to the local store's against the {@value #GRID_TARGET} target of issue 7, with the spread
 * of the per-round ratios.
 *
 * <p>Run: {@code src-it/bench.sh http} (needs {@code wrk}; the script installs it). System
 * properties: {@code bench.rounds} (4), {@code bench.seconds} (8), and {@code bench.variants}, a
 * comma-separated subset of {@code bare,noop,local,headerless,dos,naive,grid} (all).
 */
public final class HttpOverheadBench {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 8);
    private static final List<String> VARIANTS = List.of(System.getProperty("bench.variants", "bare,noop,local,headerless,dos,naive,grid").split(","));
    private static final double GRID_TARGET = 0.5;
    private static final AtomicInteger SERVERS = new AtomicInteger();
    private static final String LOCAL = "SluiceFilter, local store";
    private static final String GRID = "SluiceFilter, 2-member Hazelcast";
    private static final String POLICY = """
            sluice.headers=ietf
            sluice.policy.api.path=/*
            sluice.policy.api.limit=1000000/hour fixed
            sluice.policy.api.key=header:X-Api-Key,ip
            """;

    private HttpOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("sluice-bench");
        Path script = work.resolve("keys.lua");
        Files.writeString(script, """
                math.randomseed(42)
                request = function()
                  return wrk.format(nil, nil, {["X-Api-Key"] = "client-" .. math.random(10000)})
                end
                """);
        String cluster = Engines.clusterName();
        Map<String, String> gridSettings = Engines.member(cluster, 0, 2, Map.of());
        StringBuilder grid = new StringBuilder(POLICY);
        gridSettings.forEach((key, value) -> grid.append(key).append('=').append(value).append('\n'));
        Sluice secondMember = Engines.start(Engines.member(cluster, 1, 2, Map.of()), null);

        Map<String, Server> variants = new LinkedHashMap<>();
        try {
            if (VARIANTS.contains("bare")) {
                variants.put("bare Jetty 12", server(null, null));
            }
            if (VARIANTS.contains("noop")) {
                variants.put("a filter that does nothing", server(PassThroughFilter.class, Map.of()));
            }
            if (VARIANTS.contains("local")) {
                variants.put(LOCAL, server(SluiceFilter.class, config(work, "local", POLICY)));
            }
            if (VARIANTS.contains("headerless")) {
                variants.put("SluiceFilter, local store, no headers",
                        server(SluiceFilter.class, config(work, "headerless", POLICY.replace("sluice.headers=ietf", "sluice.headers=none"))));
            }
            if (VARIANTS.contains("dos")) {
                variants.put("Jetty DoSFilter", server(DoSFilter.class, Map.of("maxRequestsPerSec", "1000000", "delayMs", "-1")));
            }
            if (VARIANTS.contains("naive")) {
                variants.put("naive Bucket4j filter", server(NaiveBucket4jFilter.class, Map.of()));
            }
            if (VARIANTS.contains("grid")) {
                variants.put(GRID, server(SluiceFilter.class, config(work, "grid", grid.toString())));
            }
            List<String> names = new ArrayList<>(variants.keySet());
            for (String name : names) {
                wrk(variants.get(name), script, 3);
            }
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                List<String> order = new ArrayList<>(names);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (String name : order) {
                    double[] run = wrk(variants.get(name), script, SECONDS);
                    results.computeIfAbsent(name, n -> new ArrayList<>()).add(run);
                    System.err.printf("round %d %-40s %10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  %6.1f us CPU/request%n",
                            round, name, run[0], run[1], run[2], run[3]);
                }
            }
            double baseline = mean(results.get(names.get(0)), 0);
            double baselineCpu = median(results.get(names.get(0)), 3);
            System.out.printf("| variant | requests/s | vs %s | p50 ms | p99 ms | server CPU per request | vs %s |%n"
                    + "|---|---|---|---|---|---|---|%n", names.get(0), names.get(0));
            for (String name : names) {
                List<double[]> runs = results.get(name);
                System.out.printf("| %s | %.0f | %.3f | %.2f | %.2f | %.1f us | %.3f |%n", name, mean(runs, 0),
                        mean(runs, 0) / baseline, median(runs, 1), median(runs, 2), median(runs, 3),
                        median(runs, 3) / baselineCpu);
            }
            System.out.println("\nServer CPU: the Jetty threads' CPU time per request, median of the rounds"
                    + (results.containsKey(GRID) ? "; the grid's Hazelcast threads are not counted." : "."));
            if (results.containsKey(LOCAL) && results.containsKey(GRID)) {
                printGridRatio(results.get(LOCAL), results.get(GRID));
            }
        } finally {
            for (Server server : variants.values()) {
                server.stop();
            }
            secondMember.close();
        }
    }

    /** The grid's throughput over the local store's: of the means, and the range of the rounds' ratios. */
    private static void printGridRatio(List<double[]> local, List<double[]> grid) {
        double ratio = mean(grid, 0) / mean(local, 0);
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (int round = 0; round < local.size(); round++) {
            double roundRatio = grid.get(round)[0] / local.get(round)[0];
            lowest = Math.min(lowest, roundRatio);
            highest = Math.max(highest, roundRatio);
        }
        System.out.printf("%nGrid vs local store: %.3f (rounds %.3f to %.3f); target %.2f: %s%n", ratio, lowest, highest,
                GRID_TARGET, ratio >= GRID_TARGET ? "met" : "not met");
    }

    private static Map<String, String> config(Path work, String name, String properties) throws IOException {
        Path file = work.resolve(name + ".properties");
        Files.writeString(file, properties);
        return Map.of("config", "file:" + file);
    }

    private static Server server(Class<? extends Filter> filter, Map<String, String> initParams) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("bench-server-" + SERVERS.incrementAndGet());
        // Threads that outlive every round keep the CPU time they spent countable.
        threads.setIdleTimeout((int) TimeUnit.HOURS.toMillis(1));
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        if (filter != null) {
            FilterHolder holder = new FilterHolder(filter);
            holder.setInitParameters(initParams);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new OkServlet()), "/*");
        server.setHandler(context);
        server.start();
        return server;
    }

    /**
     * Runs wrk against the server; returns requests/s, p50 and p99 in ms, and the CPU time the
     * server's own threads (acceptor, selectors, request threads) spent per request, in us.
     */
    private static double[] wrk(Server server, Path script, int seconds) throws IOException, InterruptedException {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        String pool = ((QueuedThreadPool) server.getThreadPool()).getName();
        long cpuBefore = cpuNanos(pool);
        Process process = new ProcessBuilder("wrk", "-t1", "-c16", "-d" + seconds + "s", "--latency",
                "-s", script.toString(), "http://127.0.0.1:" + port + "/")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Matcher rate = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(output);
        if (!rate.find() || output.contains("Non-2xx")) {
            throw new IllegalStateException("unexpected wrk output (every answer must be 200): " + output);
        }
        long cpu = cpuNanos(pool) - cpuBefore;
        Matcher count = Pattern.compile("(\\d+) requests in").matcher(output);
        if (!count.find()) {
            throw new IllegalStateException("no request count in: " + output);
        }
        return new double[] {Double.parseDouble(rate.group(1)), latency(output, "50%"), latency(output, "99%"),
            cpu / 1000.0 / Long.parseLong(count.group(1))};
    }

    /** The CPU time of the live threads of the named pool. */
    private static long cpuNanos(String pool) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith(pool + "-")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }

    private static double latency(String output, String percentile) {
        Matcher matcher = Pattern.compile(Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)").matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + percentile + " latency in: " + output);
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static double mean(List<double[]> runs, int index) {
        return runs.stream().mapToDouble(run -> run[index]).average().orElseThrow();
    }

    private static double median(List<double[]> runs, int index) {
        double[] values = runs.stream().mapToDouble(run -> run[index]).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
