package dev.sluice.it.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The demo shop as a cluster: three instances, each a JVM of its own running the built WAR on
 * Jetty 12 with an embedded Hazelcast member, on loopback. Time is real: the order limit, 5 a
 * minute, gives a token back every 12 s, so counts are exact while a run stays within 12 s and are
 * bounded by the tokens that time gave back otherwise (each test prints how long it took).
 *
 * <p>The instances run the demo's configuration with these overrides: a unique cluster name, their
 * own member ports, no wait before joining ({@code hazelcast.wait.seconds.before.join=0}), peak
 * hours away from now (so the status limit is its off-peak 30/minute), the payment breaker open for
 * 3 s instead of 10 s (to keep the run short), and a grid deadline of 10 s with fault mode
 * {@code fail-closed}, so that a grid fault shows as a 503 and a member's death is ridden out rather
 * than hidden by local buckets.
 *
 * <p>The instance killed in the last test stays dead; tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoClusterIT {

    private static final long TOKEN_RETURNS_NANOS = TimeUnit.SECONDS.toNanos(12);
    private static final List<DemoInstance> INSTANCES = new ArrayList<>();
    private static DemoInstance a;
    private static DemoInstance b;
    private static DemoInstance c;

    @BeforeAll
    static void startCluster() throws Exception {
        Path directory = Path.of("target", "demo-cluster-" + UUID.randomUUID().toString().substring(0, 8));
        List<String> common = List.of(
                "sluice.hazelcast.cluster-name=demo-it-" + UUID.randomUUID(),
                "sluice.hazelcast.timeout=10s",
                "sluice.hazelcast.fault-mode=fail-closed",
                "sluice.breaker.payment.open-for=3s",
                "shop.peak-hours=" + hoursAwayFromNow());
        int portA = DemoInstance.freePort();
        String first = "127.0.0.1:" + portA;
        long start = System.nanoTime();
        a = started(DemoInstance.start(DemoInstance.Container.JETTY, "a", directory, portA, with(common, "sluice.hazelcast.members=" + first)));
        a.awaitReady(180);
        // The others join the first, together.
        int portB = DemoInstance.freePort();
        int portC = DemoInstance.freePort();
        b = started(DemoInstance.start(DemoInstance.Container.JETTY, "b", directory, portB,
                with(common, "sluice.hazelcast.members=" + first + ",127.0.0.1:" + portB)));
        c = started(DemoInstance.start(DemoInstance.Container.JETTY, "c", directory, portC,
                with(common, "sluice.hazelcast.members=" + first + ",127.0.0.1:" + portC)));
        b.awaitReady(180);
        c.awaitReady(180);
        for (DemoInstance instance : INSTANCES) {
            awaitCluster(instance, 3);
        }
        System.out.printf("Demo cluster of 3 instances ready in %d ms: %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                INSTANCES.stream().map(i -> i.name() + "=" + i.uri("") + " (member " + i.member() + ")").toList());
    }

    private static DemoInstance started(DemoInstance instance) {
        INSTANCES.add(instance);
        return instance;
    }

    private static List<String> with(List<String> common, String property) {
        List<String> properties = new ArrayList<>(common);
        properties.add(property);
        return properties;
    }

    /** A one-hour peak window six hours from now (UTC), so no test meets peak hours by chance. */
    private static String hoursAwayFromNow() {
        int hour = LocalTime.now(ZoneOffset.UTC).plusHours(6).getHour();
        return String.format("%02d:00-%02d:00", hour, (hour + 1) % 24);
    }

    @AfterAll
    static void stopCluster() {
        INSTANCES.forEach(DemoInstance::stop);
        for (DemoInstance instance : INSTANCES) {
            instance.close();
        }
    }

    /** Polls until {@code instance} sees {@code members} members and every partition has its backup; bounded. */
    private static void awaitCluster(DemoInstance instance, int members) {
        ShopClient shop = shop(instance);
        await(instance.name() + " sees a safe cluster of " + members).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(shop.cluster()).as(instance::tail)
                        .isEqualTo(new ShopClient.Cluster(members, true)));
    }

    private static ShopClient shop(DemoInstance instance) {
        return new ShopClient(instance::uri);
    }

    /** Whole token returns that {@code elapsedNanos} of a 5/minute bucket's time can have brought. */
    private static long tokensReturned(long elapsedNanos) {
        return elapsedNanos / TOKEN_RETURNS_NANOS;
    }

    @Test
    @Order(1)
    void theOrderLimitIsGlobalExactlyFivePerKeyWhicheverInstancesTheRequestsReach() throws Exception {
        int keys = 4;
        int perKey = 12;
        List<String> apiKeys = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            apiKeys.add(ShopClient.freshKey("global"));
        }
        List<int[]> plan = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                plan.add(new int[] {k, i % INSTANCES.size()});
            }
        }
        Collections.shuffle(plan);
        Map<String, List<Integer>> statuses = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(12);
        long start = System.nanoTime();
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int[] request : plan) {
                sent.add(clients.submit(() -> {
                    String key = apiKeys.get(request[0]);
                    HttpResponse<String> response = shop(INSTANCES.get(request[1])).order(key);
                    if (response.statusCode() == 429) {
                        assertThat(response.body()).contains("\"violated-policies\":[\"orders\"]");
                    }
                    statuses.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(response.statusCode());
                    return null;
                }));
            }
            for (Future<?> request : sent) {
                request.get(2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        long elapsed = System.nanoTime() - start;
        long returned = tokensReturned(elapsed);
        for (String key : apiKeys) {
            List<Integer> answers = statuses.get(key);
            long admitted = answers.stream().filter(s -> s == 201).count();
            assertThat(answers).as("key %s", key).hasSize(perKey).allMatch(s -> s == 201 || s == 429);
            assertThat(admitted).as("orders admitted for key %s over 3 instances in %d ms", key,
                    TimeUnit.NANOSECONDS.toMillis(elapsed)).isBetween(5L, 5L + returned);
        }
        System.out.printf("Global order limit: %d keys x %d orders spread over 3 instances in %d ms: admitted %s per key%n",
                keys, perKey, TimeUnit.NANOSECONDS.toMillis(elapsed),
                apiKeys.stream().map(k -> statuses.get(k).stream().filter(s -> s == 201).count()).toList());
    }

    @Test
    @Order(2)
    void theRateLimitFieldsParseAsStructuredFieldsOnEveryKindOfEndpoint() throws Exception {
        ShopClient shop = shop(b);
        String key = ShopClient.freshKey("fields");

        HttpResponse<String> created = shop.order(key);
        assertThat(created.statusCode()).isEqualTo(201);
        Map<String, RateLimitFields.Policy> fields = RateLimitFields.parse(created);
        assertThat(fields).containsOnlyKeys("orders");
        assertThat(fields.get("orders")).satisfies(p -> {
            assertThat(p.quota()).isEqualTo(5);
            assertThat(p.window()).isEqualTo(60);
            assertThat(p.remaining()).isEqualTo(4);
            assertThat(p.reset()).isBetween(1L, 60L);
        });

        HttpResponse<String> order = shop.get(created.headers().firstValue("Location").orElseThrow(), key);
        assertThat(order.statusCode()).isEqualTo(200);
        assertThat(RateLimitFields.parse(order)).containsOnlyKeys("order-lookups");
        assertThat(RateLimitFields.parse(order).get("order-lookups").quota()).isEqualTo(120);

        HttpResponse<String> logs = shop.get("api/logs", key);
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(RateLimitFields.parse(logs).get("logs")).satisfies(p -> assertThat(p.quota()).isEqualTo(600));

        HttpResponse<String> status = shop.get("api/status", key);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(RateLimitFields.parse(status).get("status")).satisfies(p -> {
            assertThat(p.quota()).as("off-peak status limit").isEqualTo(30);
            assertThat(p.window()).isEqualTo(60);
        });

        HttpResponse<String> file = shop.get("files/terms.txt", key);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).contains("terms of sale");
        assertThat(RateLimitFields.parse(file).get("files")).satisfies(p -> assertThat(p.quota()).isEqualTo(60));

        HttpResponse<String> refused = created;
        for (int i = 0; i < 10 && refused.statusCode() != 429; i++) {
            refused = shop.order(key);
        }
        assertThat(refused.statusCode()).isEqualTo(429);
        RateLimitFields.Policy orders = RateLimitFields.parse(refused).get("orders");
        assertThat(orders.remaining()).isZero();
        assertThat(orders.reset()).isPositive();
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .as("Retry-After against t of the refusing policy").isEqualTo(orders.reset());
    }

    @Test
    @Order(3)
    void everyRefusalCarriesRetryAfterAndAProblemBody() throws Exception {
        ShopClient shop = shop(b);
        String key = ShopClient.freshKey("refusals");
        // 429 from an annotation policy, from a filter path rule, and from a resolved (dynamic) limit:
        // ShopClient checks each refusal's Retry-After and problem body as it arrives.
        assertThat(firstRefusal(() -> shop.order(key), 10)).contains("\"violated-policies\":[\"orders\"]");
        assertThat(firstRefusal(() -> shop.get("files/catalog.json", key), 70)).contains("\"violated-policies\":[\"files\"]");
        assertThat(firstRefusal(() -> shop.get("api/status", key), 40)).contains("\"violated-policies\":[\"status\"]");

        // 503 from a full pool: the shared pool's 4 threads and 4 queue places hold slow log queries.
        List<Thread> holders = new ArrayList<>();
        CountDownLatch answered = new CountDownLatch(8);
        for (int i = 0; i < 8; i++) {
            String holderKey = ShopClient.freshKey("holder");
            Thread holder = new Thread(() -> {
                try {
                    shop.get("api/logs?delayMs=4000", holderKey);
                } catch (Exception e) {
                    // reported by the assertion on the full pool below
                } finally {
                    answered.countDown();
                }
            }, "holder-" + i);
            holder.setDaemon(true);
            holder.start();
            holders.add(holder);
        }
        awaitActive(shop, "shared", 4);
        String full = firstRefusal(() -> shop.get("api/logs", ShopClient.freshKey("late")), 50);
        assertThat(full).contains("\"pool\":\"shared\"").contains("is full");
        assertThat(answered.await(30, TimeUnit.SECONDS)).as("the slow log queries ended").isTrue();
        // The open breaker's 503 and the pool timeout's 503 are checked in the breaker test.
    }

    @FunctionalInterface
    private interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** Calls until the first 429 or 503, at most {@code attempts} times; returns its body. */
    private static String firstRefusal(Call call, int attempts) throws Exception {
        for (int i = 0; i < attempts; i++) {
            HttpResponse<String> response = call.send();
            if (response.statusCode() == 429 || response.statusCode() == 503) {
                return response.body();
            }
            assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        }
        throw new AssertionError("no refusal in " + attempts + " calls");
    }

    private static void awaitActive(ShopClient shop, String pool, int active) {
        await("pool " + pool + " running " + active).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(shop.active(pool)).as("requests running in %s", pool).isGreaterThanOrEqualTo(active));
    }

    @Test
    @Order(4)
    void aFloodOfSlowLogQueriesDoesNotSlowOrders() throws Exception {
        ShopClient shop = shop(a);
        timeOrders(shop, 1);
        List<Long> alone = timeOrders(shop, 3);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        List<Thread> flood = new ArrayList<>();
        long floodDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int i = 0; i < 16; i++) {
            String key = ShopClient.freshKey("flood");
            Thread client = new Thread(() -> {
                for (int n = 0; n < 1000 && !stop.get() && System.nanoTime() - floodDeadline < 0; n++) {
                    try {
                        HttpResponse<String> response = shop.get("api/logs?delayMs=2000", key);
                        if (response.statusCode() == 200) {
                            served.incrementAndGet();
                        } else if (response.statusCode() == 503) {
                            refused.incrementAndGet();
                            Thread.sleep(200);
                        } else {
                            unexpected.add(response.statusCode() + " " + response.body());
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception | AssertionError e) {
                        unexpected.add(e.toString());
                    }
                }
            }, "flood-" + i);
            client.setDaemon(true);
            client.start();
            flood.add(client);
        }
        List<Long> flooded;
        try {
            awaitActive(shop, "shared", 4);
            flooded = timeOrders(shop, 5);
        } finally {
            stop.set(true);
            for (Thread client : flood) {
                client.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        long p99Alone = p99(alone);
        long p99Flooded = p99(flooded);
        System.out.printf("Orders p99: %d ms alone (%d orders), %d ms during a flood of slow log queries (%d orders), "
                + "ratio %.2f; flood: %d log queries served, %d refused with 503%n", p99Alone, alone.size(), p99Flooded,
                flooded.size(), (double) p99Flooded / Math.max(1, p99Alone), served.get(), refused.get());
        assertThat(unexpected).as("flood answers other than 200 and 503").isEmpty();
        assertThat(refused.get()).as("the flood filled the shared pool").isPositive();
        // Loose on purpose (four JVMs share two cores): without isolation an order would wait for a
        // slow query's 2 s; with it, at most ten times as long as alone, or half a second more.
        assertThat(p99Flooded).isLessThanOrEqualTo(Math.max(10 * p99Alone, p99Alone + 500));
    }

    /**
     * Latencies (ms) of the orders that 3 clients place for {@code seconds}, each 20 ms after its last
     * answer and with a key of its own; every order must be placed.
     */
    private static List<Long> timeOrders(ShopClient shop, int seconds) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                done.add(clients.submit(() -> {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                    while (System.nanoTime() - end < 0) {
                        long start = System.nanoTime();
                        HttpResponse<String> response = shop.order(ShopClient.freshKey("timed"));
                        latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get(2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        return latencies;
    }

    private static long p99(List<Long> latencies) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    @Test
    @Order(5)
    void thePaymentBreakerOpensAfterThreeTimeoutsAndClosesAfterItsOpenTime() throws Exception {
        ShopClient shop = shop(a);
        assertThat(shop.order(ShopClient.freshKey("breaker")).statusCode()).isEqualTo(201);
        assertThat(shop.breaker("payment")).isEqualTo("CLOSED");
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> slow = shop.order(ShopClient.freshKey("breaker"), ShopClient.TEA, 5000);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(slow.statusCode()).as(slow.body()).isEqualTo(503);
            assertThat(slow.body()).contains("\"pool\":\"payment\"").contains("timed out");
            assertThat(millis).as("answered at the pool's 2 s timeout, not when the payment ended").isLessThan(4500);
        }
        // The third timeout is recorded as its exchange completes, a moment after the client has its 503.
        await("the payment breaker open").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(shop.breaker("payment")).isEqualTo("OPEN"));

        long start = System.nanoTime();
        HttpResponse<String> refused = shop.order(ShopClient.freshKey("breaker"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"breaker\":\"payment\"");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("refused at once").isLessThan(1000);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).as("Retry-After within the 3 s open time").isBetween(1L, 3L);

        Thread.sleep(TimeUnit.SECONDS.toMillis(retryAfter) + 200);
        HttpResponse<String> probe = shop.order(ShopClient.freshKey("breaker"));
        assertThat(probe.statusCode()).as("the half-open probe: %s", probe.body()).isEqualTo(201);
        assertThat(shop.breaker("payment")).isEqualTo("CLOSED");
        assertThat(shop.order(ShopClient.freshKey("breaker")).statusCode()).isEqualTo(201);
    }

    @Test
    @Order(6)
    void killingAnInstanceMidRunLosesNoLimitStateAndCausesNoErrorsOnTheOthers() throws Exception {
        awaitCluster(a, 3);
        int keys = 16;
        int perKeyAfter = 12;
        List<String> apiKeys = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            apiKeys.add(ShopClient.freshKey("kill"));
        }
        long start = System.nanoTime();
        // Three of each key's five tokens are spent, two of them through the instance about to die.
        ExecutorService clients = Executors.newFixedThreadPool(keys);
        Map<String, List<Integer>> after = new ConcurrentHashMap<>();
        AtomicInteger answered = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        long killedAt;
        try {
            List<Future<?>> before = new ArrayList<>();
            for (String key : apiKeys) {
                before.add(clients.submit(() -> {
                    for (DemoInstance instance : List.of(c, c, a)) {
                        HttpResponse<String> response = shop(instance).order(key);
                        assertThat(response.statusCode()).as("before the kill, %s: %s", instance.name(), response.body()).isEqualTo(201);
                    }
                    return null;
                }));
            }
            for (Future<?> request : before) {
                request.get(2, TimeUnit.MINUTES);
            }
            // The survivors go on taking orders for every key while c dies.
            List<Future<?>> running = new ArrayList<>();
            for (String key : apiKeys) {
                running.add(clients.submit(() -> {
                    List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
                    after.put(key, statuses);
                    for (int i = 0; i < perKeyAfter; i++) {
                        if (i == 2) {
                            assertThat(killed.await(1, TimeUnit.MINUTES)).isTrue();
                        }
                        HttpResponse<String> response = shop(i % 2 == 0 ? a : b).order(key);
                        statuses.add(response.statusCode());
                        answered.incrementAndGet();
                        Thread.sleep(100);
                    }
                    return null;
                }));
            }
            await("one order answered per key").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10))
                    .until(() -> answered.get() >= keys);
            killedAt = System.nanoTime();
            c.kill();
            killed.countDown();
            for (Future<?> request : running) {
                request.get(2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        long elapsed = System.nanoTime() - start;
        long returned = tokensReturned(elapsed);
        assertThat(returned).as("a run over 36 s could not tell a lost bucket (5 new tokens) from tokens given back").isLessThan(3);
        List<Long> admittedAfter = new ArrayList<>();
        for (String key : apiKeys) {
            List<Integer> statuses = after.get(key);
            assertThat(statuses).as("answers of a and b for key %s, around the kill", key)
                    .hasSize(perKeyAfter).allMatch(s -> s == 201 || s == 429);
            long admitted = statuses.stream().filter(s -> s == 201).count();
            admittedAfter.add(admitted);
            assertThat(admitted).as("admitted after 3 of 5 were spent, key %s, in %d ms", key,
                    TimeUnit.NANOSECONDS.toMillis(elapsed)).isBetween(2L, 2L + returned);
        }
        awaitCluster(a, 2);
        System.out.printf("Kill: c killed %d ms into the run; %d keys, admitted afterwards per key %s; "
                + "whole run %d ms; a and b answered only 201 and 429%n",
                TimeUnit.NANOSECONDS.toMillis(killedAt - start), keys, admittedAfter,
                TimeUnit.NANOSECONDS.toMillis(elapsed));
    }
}
