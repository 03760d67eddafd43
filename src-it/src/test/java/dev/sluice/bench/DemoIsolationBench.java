package dev.sluice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.it.demo.DemoInstance;

/**
 * Isolation on the demo shop as it ships: the latency of {@code /api/orders} alone and during a
 * flood of slow {@code /api/logs} queries that outnumbers the container's threads, with the shop's
 * isolation and without it. The built WAR runs on Jetty 12 with 200 request threads in a JVM of its
 * own ({@link DemoInstance}), with its Hazelcast store, its pools and its database pools; only the
 * rate limits are raised, so that no request of the benchmark meets one.
 *
 * <p>Orders: {@value #ORDER_CLIENTS} clients, each with an API key of its own, place an order
 * ({@code POST /api/orders}), read it back ({@code GET} its {@code Location}) and pause
 * {@value #THINK_MILLIS} ms. Each request is timed; a 429 or 503 counts as refused, is not timed, and
 * its client waits out {@code Retry-After}. After a warm-up, phases alone and under the flood
 * alternate, {@code bench.rounds} (default 3) of each, {@code bench.seconds} (default 10) long, so
 * that the drift of a shared machine touches both alike; each phase under the flood starts 3 s after
 * the flood, and the next phase alone only once every flood request has been answered.
 * The flood: {@value #FLOOD_CLIENTS} clients send {@code GET /api/logs?delayMs=1000} (a one-second
 * query holding one of the shared database pool's 2 connections) one after another; after a 429 or
 * 503 a client waits {@code Retry-After} and a random part of it more (at most twice as long), so
 * that the clients refused together at the flood's start come back spread out instead of in waves.
 *
 * <p>Without isolation, the shop's two pools ({@code payment}, {@code shared}) are turned into
 * {@code permits} pools of 10,000 permits, by system properties: every request runs on the
 * container's threads, unbounded, exactly as if it carried no {@code @Isolated}. Orders keep their
 * own database connections (the shop picks them by the pool's name), so the comparison is of the
 * threads alone.
 *
 * <p>Every loop is bounded in count and time, and all traffic stays on 127.0.0.1. The target is
 * reported, never asserted: with isolation, the orders' p99 under the flood at most 1.5 times
 * their p99 alone.
 *
 * <p>Run: {@code src-it/bench.sh demo-isolation}.
 */
public final class DemoIsolationBench {

    private static final int CONTAINER_THREADS = 200;
    private static final int FLOOD_CLIENTS = 256;
    private static final int ORDER_CLIENTS = 4;
    private static final int THINK_MILLIS = 25;
    private static final double TARGET = 1.5;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final Duration PHASE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String ORDER = "{\"item\": \"tea\", \"price\": 12.5, \"size\": \"%s\"}";
    private static final String[] SIZES = {"S", "M", "L"};
    private static final String LOG_QUERY = "api/logs?delayMs=1000";
    private static final String UNLIMITED = "1000000/minute";

    private static final HttpClient ORDERS = client();
    private static final HttpClient FLOOD = client();

    private DemoIsolationBench() {
    }

    /** How the shop runs: its name in the table and the system properties that make it so. */
    private record Variant(String name, List<String> properties) {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory("sluice-demo-isolation");
        List<Variant> variants = List.of(
                new Variant("isolation (as shipped)", List.of()),
                new Variant("no isolation", List.of(
                        "sluice.pool.payment.mode=permits", "sluice.pool.payment.threads=10000", "sluice.pool.payment.queue=0",
                        "sluice.pool.shared.mode=permits", "sluice.pool.shared.threads=10000", "sluice.pool.shared.queue=0")));
        List<Phase[]> results = new ArrayList<>();
        for (Variant variant : variants) {
            results.add(run(variant, directory));
        }
        System.out.printf("Jetty 12 with %d request threads; %d order clients (POST an order, GET it, pause %d ms);"
                + " flood: %d clients of GET /%s; %d rounds of %d s alone and %d s under the flood.%n%n", CONTAINER_THREADS,
                ORDER_CLIENTS, THINK_MILLIS, FLOOD_CLIENTS, LOG_QUERY, ROUNDS, PHASE.toSeconds(), PHASE.toSeconds());
        System.out.println("| variant | orders p50 | orders p99 | p99 flood / alone | order requests | orders refused"
                + " | order errors | log queries served / refused / failed |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < variants.size(); i++) {
            Phase alone = results.get(i)[0];
            Phase flooded = results.get(i)[1];
            System.out.println(alone.row(variants.get(i).name() + ", alone", ""));
            System.out.println(flooded.row(variants.get(i).name() + ", /api/logs flood",
                    String.format("%.2f", flooded.ratioTo(alone))));
        }
        double isolated = results.get(0)[1].ratioTo(results.get(0)[0]);
        System.out.printf("%nTarget: with isolation, /api/orders p99 under the flood at most %.1fx its p99 alone:"
                + " %s (%.2fx). Without isolation: %.1fx.%n", TARGET, isolated <= TARGET ? "met" : "MISSED", isolated,
                results.get(1)[1].ratioTo(results.get(1)[0]));
        System.err.println("Instance logs: " + directory);
    }

    /** Starts the shop, warms it up, and measures the orders alone and under the flood, in turns. */
    private static Phase[] run(Variant variant, Path directory) throws Exception {
        int member = DemoInstance.freePort();
        List<String> properties = new ArrayList<>(List.of(
                "demo.http.threads=" + CONTAINER_THREADS,
                "sluice.hazelcast.cluster-name=bench-" + UUID.randomUUID(),
                "sluice.hazelcast.members=127.0.0.1:" + member,
                "sluice.policy.orders.limit=" + UNLIMITED,
                "sluice.policy.order-lookups.limit=" + UNLIMITED,
                "sluice.policy.logs.limit=" + UNLIMITED));
        properties.addAll(variant.properties());
        String name = variant.name().replaceAll("[^a-z]+", "-");
        try (DemoInstance shop = DemoInstance.start(DemoInstance.Container.JETTY, name, directory, member, properties,
                List.of("-Xmx512m"))) {
            shop.awaitReady(180);
            progress(variant, "warming up");
            orders(shop, WARM_UP, new Phase());
            Phase alone = new Phase();
            Phase flooded = new Phase();
            for (int round = 1; round <= ROUNDS; round++) {
                progress(variant, "round " + round + ", orders alone");
                orders(shop, PHASE, alone);
                LogFlood flood = LogFlood.start(shop.uri(LOG_QUERY));
                try {
                    Thread.sleep(SETTLE.toMillis());
                    progress(variant, "round " + round + ", orders under the flood");
                    orders(shop, PHASE, flooded);
                } finally {
                    flood.close();
                }
                flooded.add(flood);
            }
            return new Phase[] {alone, flooded};
        }
    }

    private static void progress(Variant variant, String phase) {
        System.err.printf("%s %s: %s (load average %.2f)%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), variant.name(),
                phase, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Runs the order clients for {@code length} and adds what they saw to {@code phase}. */
    private static void orders(DemoInstance shop, Duration length, Phase phase) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < ORDER_CLIENTS; c++) {
            String key = "orders-" + c + "-" + UUID.randomUUID();
            Thread client = new Thread(() -> placeOrders(shop.uri("api/orders"), key, end, phase), "orders-" + c);
            client.setDaemon(true);
            client.start();
            clients.add(client);
        }
        for (Thread client : clients) {
            client.join(length.plus(REQUEST_TIMEOUT).plusSeconds(10).toMillis());
        }
    }

    private static void placeOrders(URI orders, String key, long end, Phase phase) {
        try {
            for (int n = 0; n < 100_000 && System.nanoTime() - end < 0; n++) {
                HttpResponse<String> created = phase.time(HttpRequest.newBuilder(orders)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(String.format(ORDER, SIZES[n % SIZES.length]))), key, end);
                if (created != null && created.statusCode() == 201) {
                    URI order = URI.create(created.headers().firstValue("Location").orElseThrow());
                    phase.time(HttpRequest.newBuilder(order).GET(), key, end);
                }
                Thread.sleep(THINK_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long retryAfterNanos(HttpResponse<?> response) {
        return TimeUnit.SECONDS.toNanos(Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** What the order clients saw in the phases of one kind, and what the flood did meanwhile. */
    private static final class Phase {

        private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicInteger errors = new AtomicInteger();
        private int floodServed;
        private int floodRefused;
        private int floodFailed;
        private boolean flooded;

        /**
         * Sends a request and times it; after a 429 or 503 waits out {@code Retry-After} (at most
         * until {@code end}) and answers {@code null}.
         */
        HttpResponse<String> time(HttpRequest.Builder request, String key, long end) throws InterruptedException {
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = ORDERS.send(request.header("X-Api-Key", key).timeout(REQUEST_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - start;
                int status = response.statusCode();
                if (status == 429 || status == 503) {
                    refused.incrementAndGet();
                    long wait = Math.min(retryAfterNanos(response), end - System.nanoTime());
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, wait));
                    return null;
                }
                nanos.add(took);
                if (status >= 400) {
                    errors.incrementAndGet();
                }
                return response;
            } catch (IOException e) {
                nanos.add(System.nanoTime() - start);
                errors.incrementAndGet();
                Thread.sleep(200);
                return null;
            }
        }

        /** Counts the answers of a flood that has ended; called by the main thread only. */
        void add(LogFlood flood) {
            flooded = true;
            floodServed += flood.served.get();
            floodRefused += flood.refused.get();
            floodFailed += flood.failed.get();
        }

        long p99() {
            return percentile(0.99);
        }

        double ratioTo(Phase alone) {
            return (double) p99() / alone.p99();
        }

        String row(String name, String ratio) {
            return String.format("| %s | %s | %s | %s | %,d | %,d | %,d | %s |", name, millis(percentile(0.5)), millis(p99()),
                    ratio, nanos.size() + refused.get(), refused.get(), errors.get(),
                    flooded ? String.format("%,d / %,d / %,d", floodServed, floodRefused, floodFailed) : "");
        }

        private long percentile(double quantile) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * quantile) - 1));
        }

        private static String millis(long nanos) {
            double millis = nanos / 1e6;
            return millis < 100 ? String.format("%.1f ms", millis) : String.format("%,.0f ms", millis);
        }
    }

    /** {@value #FLOOD_CLIENTS} clients sending slow log queries one after another until closed, at most 5 minutes. */
    private static final class LogFlood {

        private final CountDownLatch stopped = new CountDownLatch(1);
        private final List<Thread> clients = new ArrayList<>();
        private final AtomicInteger served = new AtomicInteger();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();

        static LogFlood start(URI query) {
            LogFlood flood = new LogFlood();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            for (int i = 0; i < FLOOD_CLIENTS; i++) {
                String key = "flood-" + i + "-" + UUID.randomUUID();
                Thread client = new Thread(() -> flood.query(query, key, deadline), "flood-" + i);
                client.setDaemon(true);
                client.start();
                flood.clients.add(client);
            }
            return flood;
        }

        private void query(URI query, String key, long deadline) {
            HttpRequest request = HttpRequest.newBuilder(query).header("X-Api-Key", key).timeout(Duration.ofSeconds(60)).GET().build();
            try {
                for (int n = 0; n < 10_000 && stopped.getCount() > 0 && System.nanoTime() - deadline < 0; n++) {
                    try {
                        HttpResponse<String> response = FLOOD.send(request, HttpResponse.BodyHandlers.ofString());
                        int status = response.statusCode();
                        if (status == 200) {
                            served.incrementAndGet();
                        } else if (status == 429 || status == 503) {
                            refused.incrementAndGet();
                            long retryAfter = retryAfterNanos(response);
                            stopped.await(retryAfter + ThreadLocalRandom.current().nextLong(retryAfter), TimeUnit.NANOSECONDS);
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        stopped.await(200, TimeUnit.MILLISECONDS);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops the clients and waits, at most a minute, until each has had its last answer. */
        void close() {
            stopped.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            try {
                for (Thread client : clients) {
                    client.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
