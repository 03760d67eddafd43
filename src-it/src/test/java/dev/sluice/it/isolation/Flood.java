package dev.sluice.it.isolation;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.it.Http;
import dev.sluice.it.TestServer;

/**
 * A flood of slow requests on one endpoint while critical requests are timed on another: the
 * measurement behind "a flood on the shared pool does not starve the critical one". Each flood
 * client sends its next request when the last one ends, or, after a 503, once its
 * {@code Retry-After} has passed, as a well-behaved client does (a client that ignores it is the
 * rate limiter's business, and its CPU load on this small machine would blur what is measured).
 * Every loop is bounded in count and time.
 */
final class Flood implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> clients = new ArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();

    /** Starts {@code clients} threads that each send slow requests to {@code uri} until closed (at most 2 minutes). */
    static Flood start(URI uri, int clients) {
        Flood flood = new Flood();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (int i = 0; i < clients; i++) {
            Thread client = new Thread(() -> {
                for (int attempt = 0; attempt < 10_000 && !flood.stop.get() && System.nanoTime() < deadline; attempt++) {
                    try {
                        HttpResponse<String> response = Http.get(uri);
                        if (response.statusCode() == 503) {
                            flood.refused.incrementAndGet();
                            long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElse("1"));
                            long wakeUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(retryAfter);
                            while (!flood.stop.get() && System.nanoTime() - wakeUp < 0) {
                                Thread.sleep(20);
                            }
                        } else {
                            flood.completed.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a connection refused under overload counts as nothing; try again
                    }
                }
            }, "flood-" + i);
            client.setDaemon(true);
            client.start();
            flood.clients.add(client);
        }
        return flood;
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            for (Thread client : clients) {
                client.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Latencies in ms of {@code perClient} sequential requests from each of {@code clients} threads; every response must be 200. */
    static List<Long> time(TestServer server, String path, int clients, int perClient) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            Thread client = new Thread(() -> {
                try {
                    for (int i = 0; i < perClient; i++) {
                        long start = System.nanoTime();
                        HttpResponse<String> response = Http.get(server.uri(path));
                        latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                } finally {
                    done.countDown();
                }
            }, "critical-" + c);
            client.setDaemon(true);
            client.start();
        }
        if (!done.await(3, TimeUnit.MINUTES)) {
            throw new AssertionError("critical requests did not finish");
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("critical requests failed: " + failures);
        }
        return latencies;
    }

    static long p99(List<Long> latencies) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }
}
