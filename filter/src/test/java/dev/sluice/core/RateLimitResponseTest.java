package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RateLimitResponseTest {

    private final ManualClock clock = ManualClock.startingNow();
    private final RateLimiter limiter = new RateLimiter(LocalBucketStore.create(100, clock));
    private final RequestInfo request = FakeRequest.from("1.1.1.1");

    private static Policy policy(String name, String limit) {
        return Policy.builder(name).limits(Limits.parse(limit)).build();
    }

    private static Map<String, String> headers(Verdict verdict, HeaderStyle style) {
        Map<String, String> headers = new LinkedHashMap<>();
        RateLimitResponse.headers(verdict, style, headers::put);
        return headers;
    }

    @Test
    void ietfFieldsListEveryMatchingPolicy() {
        Verdict verdict = limiter.check(List.of(policy("burst", "10/second burst 50"), policy("daily", "1000/day")), request);
        assertThat(headers(verdict, HeaderStyle.IETF)).containsExactly(
                Map.entry("RateLimit-Policy", "\"burst\";q=50;w=5, \"daily\";q=1000;w=86400"),
                Map.entry("RateLimit", "\"burst\";r=49;t=1, \"daily\";r=999;t=87"));
    }

    @Test
    void aRefusalCarriesRetryAfterEqualToTheRefusingPolicysReset() {
        Policy policy = policy("p", "1/minute");
        limiter.check(List.of(policy), request);
        Verdict refused = limiter.check(List.of(policy), request);
        assertThat(headers(refused, HeaderStyle.BOTH)).containsExactly(
                Map.entry("Retry-After", "60"),
                Map.entry("RateLimit-Policy", "\"p\";q=1;w=60"),
                Map.entry("RateLimit", "\"p\";r=0;t=60"),
                Map.entry("X-RateLimit-Limit", "1"),
                Map.entry("X-RateLimit-Remaining", "0"),
                Map.entry("X-RateLimit-Reset", "60"));
    }

    @Test
    void legacyHeadersDescribeTheTightestPolicy() {
        Verdict verdict = limiter.check(List.of(policy("wide", "100/minute"), policy("narrow", "3/minute")), request);
        assertThat(headers(verdict, HeaderStyle.LEGACY)).containsExactly(
                Map.entry("X-RateLimit-Limit", "3"),
                Map.entry("X-RateLimit-Remaining", "2"),
                Map.entry("X-RateLimit-Reset", "20"));
    }

    @Test
    void noneSendsOnlyRetryAfter() {
        Policy policy = policy("p", "1/minute");
        assertThat(headers(limiter.check(List.of(policy), request), HeaderStyle.NONE)).isEmpty();
        assertThat(headers(limiter.check(List.of(policy), request), HeaderStyle.NONE)).containsOnlyKeys("Retry-After");
    }

    @Test
    void unlimitedRequestsGetNoHeaders() {
        assertThat(headers(Verdict.unlimited(), HeaderStyle.BOTH)).isEmpty();
    }

    @Test
    void problemBodyFollowsRfc9457() {
        Policy policy = policy("orders", "1/minute");
        limiter.check(List.of(policy), request);
        String body = RateLimitResponse.problemBody(limiter.check(List.of(policy), request));
        assertThat(body).isEqualTo("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
                + "\"title\":\"Too Many Requests\",\"status\":429,"
                + "\"detail\":\"Rate limit exceeded for policy orders; retry after 60 seconds.\","
                + "\"violated-policies\":[\"orders\"]}");
    }
}
