package dev.sluice.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceFilterTest {

    @TempDir
    Path directory;

    @Test
    void theRequestAfterTheLimitGets429WithAllHeadersAndAProblemBody() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.policy.orders.path=/api/orders/*
                sluice.policy.orders.limit=3/minute
                """, directory)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> admitted = app.get("/api/orders/1");
                assertThat(admitted.statusCode()).isEqualTo(200);
                assertThat(admitted.body()).isEqualTo("ok");
                assertThat(admitted.headers().firstValue("RateLimit-Policy")).hasValue("\"orders\";q=3;w=60");
                assertThat(admitted.headers().firstValue("RateLimit")).hasValue("\"orders\";r=" + (2 - i) + ";t=" + (20 * (i + 1)));
                assertThat(admitted.headers().firstValue("Retry-After")).isEmpty();
            }
            HttpResponse<String> refused = app.get("/api/orders/1");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("20");
            assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"orders\";q=3;w=60");
            assertThat(refused.headers().firstValue("RateLimit")).hasValue("\"orders\";r=0;t=20");
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.body())
                    .contains("\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\"")
                    .contains("\"status\":429")
                    .contains("\"title\":\"Too Many Requests\"")
                    .contains("\"detail\":\"Rate limit exceeded for policy orders; retry after 20 seconds.\"")
                    .contains("\"violated-policies\":[\"orders\"]");
            assertThat(app.served).hasValue(3);
        }
    }

    @Test
    void anExactPathIsLimitedWithATrailingSlashTooFromTheSameBucket() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.policy.status.path=/api/status
                sluice.policy.status.limit=3/minute
                """, directory)) {
            assertThat(app.get("/api/status").statusCode()).isEqualTo(200);
            assertThat(app.get("/api/status/").statusCode()).isEqualTo(200);
            assertThat(app.get("/api/status;v=1").statusCode()).isEqualTo(200);
            assertThat(app.get("/api/status/").statusCode()).isEqualTo(429);
            assertThat(app.get("/api/status").statusCode()).isEqualTo(429);
            assertThat(app.get("/api/status/x").statusCode()).isEqualTo(200);
            assertThat(app.get("/api/statusx").statusCode()).isEqualTo(200);
            assertThat(app.served).hasValue(5);
        }
    }

    @Test
    void advancingTheClockRefills() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.policy.p.path=/*
                sluice.policy.p.limit=2/minute
                """, directory)) {
            assertThat(app.get("/a").statusCode()).isEqualTo(200);
            assertThat(app.get("/a").statusCode()).isEqualTo(200);
            assertThat(app.get("/a").statusCode()).isEqualTo(429);
            app.clock.advance(Duration.ofSeconds(29));
            assertThat(app.get("/a").statusCode()).isEqualTo(429);
            app.clock.advance(Duration.ofSeconds(1));
            assertThat(app.get("/a").statusCode()).isEqualTo(200);
            assertThat(app.get("/a").statusCode()).isEqualTo(429);
            app.clock.advance(Duration.ofMinutes(5));
            assertThat(app.get("/a").statusCode()).isEqualTo(200);
            assertThat(app.get("/a").statusCode()).isEqualTo(200);
            assertThat(app.get("/a").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void twoApiKeysHaveSeparateBuckets() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.policy.api.path=/api/*
                sluice.policy.api.limit=1/hour
                sluice.policy.api.key=header:X-Api-Key,ip
                """, directory)) {
            assertThat(app.get("/api/x", "X-Api-Key", "alpha").statusCode()).isEqualTo(200);
            assertThat(app.get("/api/x", "X-Api-Key", "alpha").statusCode()).isEqualTo(429);
            assertThat(app.get("/api/x", "X-Api-Key", "beta").statusCode()).isEqualTo(200);
            assertThat(app.get("/api/x").statusCode()).isEqualTo(200);
            assertThat(app.get("/api/x").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerDoesNotChangeTheBucket() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.trusted-proxies=10.0.0.0/8
                sluice.policy.p.path=/*
                sluice.policy.p.limit=2/hour
                """, directory)) {
            assertThat(app.get("/x", "X-Forwarded-For", "1.1.1.1").statusCode()).isEqualTo(200);
            assertThat(app.get("/x", "X-Forwarded-For", "2.2.2.2").statusCode()).isEqualTo(200);
            assertThat(app.get("/x", "X-Forwarded-For", "3.3.3.3", "Forwarded", "for=4.4.4.4").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aTrustedProxysForwardedForNamesTheClient() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.trusted-proxies=127.0.0.1
                sluice.policy.p.path=/*
                sluice.policy.p.limit=1/hour
                """, directory)) {
            assertThat(app.get("/x", "X-Forwarded-For", "1.1.1.1").statusCode()).isEqualTo(200);
            assertThat(app.get("/x", "X-Forwarded-For", "9.9.9.9, 1.1.1.1").statusCode()).isEqualTo(429);
            assertThat(app.get("/x", "X-Forwarded-For", "2.2.2.2").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void behindAnAppendingProxyAClientSentForwardedGets429InsteadOfAFreshBucket() throws Exception {
        // The test client at 127.0.0.1 plays nginx with proxy_add_x_forwarded_for: it appends the
        // client's address and passes on the client's own Forwarded header.
        try (FilteredApp app = FilteredApp.start("""
                sluice.trusted-proxies=127.0.0.1
                sluice.policy.p.path=/*
                sluice.policy.p.limit=2/hour
                """, directory)) {
            assertThat(app.get("/x", "X-Forwarded-For", "9.9.9.9", "Forwarded", "for=10.1.2.3").statusCode()).isEqualTo(200);
            assertThat(app.get("/x", "X-Forwarded-For", "9.9.9.9", "Forwarded", "for=10.1.2.4").statusCode()).isEqualTo(200);
            assertThat(app.get("/x", "X-Forwarded-For", "9.9.9.9", "Forwarded", "for=10.1.2.5").statusCode()).isEqualTo(429);
            assertThat(app.get("/x", "X-Forwarded-For", "8.8.8.8", "Forwarded", "for=10.1.2.5").statusCode()).isEqualTo(200);
            assertThat(app.served).hasValue(3);
        }
    }

    @Test
    void withForwardedChosenAClientSentXForwardedForGets429InsteadOfAFreshBucket() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.trusted-proxies=127.0.0.1
                sluice.client-ip-header=Forwarded
                sluice.policy.p.path=/*
                sluice.policy.p.limit=1/hour
                """, directory)) {
            assertThat(app.get("/x", "Forwarded", "for=\"[2001:db8::9]:4711\"", "X-Forwarded-For", "1.1.1.1").statusCode())
                    .isEqualTo(200);
            assertThat(app.get("/x", "Forwarded", "for=\"[2001:db8::9]\"", "X-Forwarded-For", "2.2.2.2").statusCode())
                    .isEqualTo(429);
            // Without Forwarded the proxy itself is the client, whatever X-Forwarded-For says.
            assertThat(app.get("/x", "X-Forwarded-For", "3.3.3.3").statusCode()).isEqualTo(200);
            assertThat(app.get("/x", "X-Forwarded-For", "4.4.4.4").statusCode()).isEqualTo(429);
            assertThat(app.get("/x", "Forwarded", "for=_hidden").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void sixtyFourThreadsHammeringA100PerHourPolicyAdmitExactly100() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.policy.hot.path=/hot
                sluice.policy.hot.limit=100/hour
                sluice.policy.hot.key=global
                """, directory)) {
            int threads = 64;
            int perThread = 5;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<int[]>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Callable<int[]> hammer = () -> {
                        start.await();
                        int[] counts = new int[2];
                        for (int i = 0; i < perThread; i++) {
                            int status = app.get("/hot").statusCode();
                            counts[status == 200 ? 0 : status == 429 ? 1 : -1]++;
                        }
                        return counts;
                    };
                    results.add(pool.submit(hammer));
                }
                start.countDown();
                int admitted = 0;
                int refused = 0;
                for (Future<int[]> result : results) {
                    int[] counts = result.get(2, TimeUnit.MINUTES);
                    admitted += counts[0];
                    refused += counts[1];
                }
                assertThat(admitted).isEqualTo(100);
                assertThat(refused).isEqualTo(threads * perThread - 100);
                assertThat(app.served).hasValue(100);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRequestRefusedByOneOfTwoPoliciesTakesNoTokenFromTheOther() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.policy.per-client.path=/api/*
                sluice.policy.per-client.limit=1/hour
                sluice.policy.per-client.key=header:X-Api-Key
                sluice.policy.total.path=/api/*
                sluice.policy.total.limit=3/hour
                sluice.policy.total.key=global
                """, directory)) {
            assertThat(app.get("/api/x", "X-Api-Key", "a").statusCode()).isEqualTo(200);
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> refused = app.get("/api/x", "X-Api-Key", "a");
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.body()).contains("\"violated-policies\":[\"per-client\"]");
                assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(
                        value -> assertThat(value).contains("\"total\";r=2;"));
            }
            assertThat(app.get("/api/x", "X-Api-Key", "b").statusCode()).isEqualTo(200);
            assertThat(app.get("/api/x", "X-Api-Key", "c").statusCode()).isEqualTo(200);
            HttpResponse<String> totalExhausted = app.get("/api/x", "X-Api-Key", "d");
            assertThat(totalExhausted.statusCode()).isEqualTo(429);
            assertThat(totalExhausted.body()).contains("\"violated-policies\":[\"total\"]");
            assertThat(app.served).hasValue(3);
        }
    }

    @Test
    void shadowModeNeverRefusesButSendsHeaders() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.policy.trial.path=/*
                sluice.policy.trial.limit=2/minute
                sluice.policy.trial.enforce=false
                """, directory)) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = app.get("/x");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Retry-After")).isEmpty();
                String remaining = "\"trial\";r=" + Math.max(0, 1 - i) + ";";
                assertThat(response.headers().firstValue("RateLimit")).hasValueSatisfying(
                        value -> assertThat(value).startsWith(remaining));
            }
            assertThat(app.served).hasValue(5);
        }
    }

    @Test
    void onlyMatchingPathsAndMethodsAreLimited() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.headers=both
                sluice.policy.pay.path=/pay/*,*.do
                sluice.policy.pay.methods=POST
                sluice.policy.pay.limit=1/hour
                """, directory)) {
            assertThat(app.send("POST", "/pay/now").statusCode()).isEqualTo(200);
            assertThat(app.send("POST", "/pay/now").statusCode()).isEqualTo(429);
            assertThat(app.send("POST", "/legacy/submit.do").statusCode()).isEqualTo(429);
            HttpResponse<String> get = app.get("/pay/now");
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().map()).doesNotContainKeys("ratelimit", "ratelimit-policy", "x-ratelimit-limit");
            HttpResponse<String> other = app.send("POST", "/other");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.headers().firstValue("RateLimit")).isEmpty();
        }
    }

    @Test
    void legacyHeadersWhenAskedFor() throws Exception {
        try (FilteredApp app = FilteredApp.start("""
                sluice.headers=legacy
                sluice.policy.p.path=/*
                sluice.policy.p.limit=10/minute
                """, directory)) {
            HttpResponse<String> response = app.get("/x");
            assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue("10");
            assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("9");
            assertThat(response.headers().firstValue("X-RateLimit-Reset")).hasValue("6");
            assertThat(response.headers().firstValue("RateLimit")).isEmpty();
        }
    }
}
