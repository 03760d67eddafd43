package dev.sluice.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same WAR, unchanged, on Tomcat 11 ({@link TomcatDemoServer}, in a JVM of its own) at the
 * context path {@code /shop}: a smoke test that the demo runs in another servlet container. It keeps
 * its default store, an embedded Hazelcast member (alone, on a free port), and has peak hours all
 * day, so the status limit is the one its resolver gives.
 */
class TomcatSmokeIT {

    private static DemoInstance tomcat;
    private static ShopClient shop;

    @BeforeAll
    static void deploy() throws Exception {
        int member = DemoInstance.freePort();
        tomcat = DemoInstance.start(DemoInstance.Container.TOMCAT, "tomcat",
                Path.of("target", "demo-tomcat-" + UUID.randomUUID().toString().substring(0, 8)), member, List.of(
                        "demo.context-path=/shop",
                        "sluice.hazelcast.cluster-name=demo-tomcat-" + UUID.randomUUID(),
                        "sluice.hazelcast.members=127.0.0.1:" + member,
                        "shop.peak-hours=00:00-24:00"));
        tomcat.awaitReady(180);
        shop = new ShopClient(tomcat::uri);
    }

    @AfterAll
    static void undeploy() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    void anOrderIsPlacedAtItsLocationAndTheSixthOfAKeyIsRefused() throws Exception {
        String key = ShopClient.freshKey("tomcat");
        HttpResponse<String> created = shop.order(key);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"item\":\"tea\"").contains("\"price\":12.50").contains("\"size\":\"M\"");
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(tomcat.uri("api/orders/").toString()).contains("/shop/api/orders/");

        HttpResponse<String> order = shop.get(location, key);
        assertThat(order.statusCode()).isEqualTo(200);
        assertThat(order.body()).contains(location.substring(location.lastIndexOf('/') + 1));

        for (int i = 0; i < 4; i++) {
            assertThat(shop.order(key).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> refused = shop.order(key);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(RateLimitFields.parse(refused).get("orders").remaining()).isZero();
    }

    @Test
    void anInvalidOrderIsAnsweredWith422AndAProblemBody() throws Exception {
        HttpResponse<String> invalid = shop.order(ShopClient.freshKey("tomcat"), "{\"item\": \"tea\", \"price\": 0, \"size\": \"XL\"}", 0);
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(invalid.body()).contains("\"status\":422")
                .contains("{\"field\":\"price\",\"message\":\"must be greater than 0\"}")
                .contains("{\"field\":\"size\",\"message\":\"must be one of S, M, L\"}");
    }

    @Test
    void theStatusLimitIsThePeakHoursLimit() throws Exception {
        HttpResponse<String> status = shop.get("api/status", ShopClient.freshKey("tomcat"));
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"peakHours\":true").contains("\"bucketStore\":\"available\"");
        assertThat(RateLimitFields.parse(status).get("status").quota()).as("the peak limit, 10/minute").isEqualTo(10);
    }

    @Test
    void aTrailingSlashOnTheStatusPathMeetsTheSameLimitAndTheSamePool() throws Exception {
        String key = ShopClient.freshKey("tomcat");
        long remaining = -1;
        for (String path : List.of("api/status", "api/status/", "api/status", "api/status/")) {
            HttpResponse<String> status = shop.get(path, key);
            assertThat(status.statusCode()).as("%s: %s", path, status.body()).isEqualTo(200);
            // The request itself holds a permit of the status pool while its document is written.
            assertThat(status.body()).as(path).contains("\"pool\":\"status\",\"active\":1,");
            long left = RateLimitFields.parse(status).get("status").remaining();
            if (remaining >= 0) {
                assertThat(left).as("%s draws from the same bucket", path).isEqualTo(remaining - 1);
            }
            remaining = left;
        }
    }

    @Test
    void theFilesServletAndTheLogQueriesAnswer() throws Exception {
        String key = ShopClient.freshKey("tomcat");
        HttpResponse<String> file = shop.get("files/catalog.json", key);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).contains("\"item\": \"tea\"");
        assertThat(RateLimitFields.parse(file)).containsOnlyKeys("files");

        HttpResponse<String> logs = shop.get("api/logs?limit=5", key);
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.body()).startsWith("[").contains("\"message\":");
    }
}
