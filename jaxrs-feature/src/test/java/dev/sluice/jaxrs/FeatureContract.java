package dev.sluice.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.sluice.core.Breaker;
import dev.sluice.core.ConfigurationException;
import dev.sluice.core.LocalBucketStore;
import dev.sluice.core.ManualClock;
import dev.sluice.core.Sluice;
import jakarta.servlet.Servlet;

/**
 * What the feature does, on real Jetty, for one JAX-RS runtime: each runtime's test extends this
 * class and names its servlet. Most cases share one server with distinct policies; the cases that
 * need their own configuration, clock or deployment start their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FeatureContract {

    /** Two failures in a row open the breaker for 10 s; then {@code half-open-calls} probes go through. */
    static final String GUARD_CONFIGURATION = """
            sluice.breaker.guard.consecutive-failures=2
            sluice.breaker.guard.open-for=10s
            """;

    static final String SHARED_CONFIGURATION = """
            sluice.policy.orders-create.limit=1/minute
            sluice.policy.switched-off.enabled=false
            """;

    private TestServer server;

    /** The runtime's servlet: Jersey's {@code ServletContainer} or RESTEasy's {@code HttpServletDispatcher}. */
    abstract Class<? extends Servlet> runtime();

    TestServer.Setup setup(Class<?>... resources) {
        Set<Class<?>> classes = new java.util.LinkedHashSet<>(Set.of(resources));
        classes.add(SluiceFeature.class);
        return new TestServer.Setup(runtime(), Set.copyOf(classes));
    }

    @BeforeAll
    void startSharedServer() throws Exception {
        server = TestServer.start(setup(Resources.Orders.class, Resources.Catalog.class, Resources.Async.class,
                Resources.HeaderAuthentication.class).withConfiguration(SHARED_CONFIGURATION));
    }

    @AfterAll
    void stopSharedServer() {
        server.close();
    }

    @Test
    void methodLimitAdmitsItsQuotaThenRefusesWith429AndProblemJson() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> admitted = server.get("/orders/" + i);
            assertThat(admitted.statusCode()).isEqualTo(200);
            assertThat(admitted.body()).isEqualTo("order " + i);
            assertThat(admitted.headers().firstValue("RateLimit-Policy")).hasValue("\"Orders#get\";q=3;w=60");
            assertThat(admitted.headers().firstValue("RateLimit")).hasValue("\"Orders#get\";r=" + (2 - i) + ";t=" + (i == 0 ? 20 : i == 1 ? 40 : 60));
            assertThat(admitted.headers().firstValue("Retry-After")).isEmpty();
        }
        // /orders/0 … /orders/3 are one policy: the matched method's, not one per URL.
        HttpResponse<String> refused = server.get("/orders/3");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("20");
        assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"Orders#get\";q=3;w=60");
        assertThat(refused.headers().firstValue("RateLimit")).hasValue("\"Orders#get\";r=0;t=20");
        assertThat(refused.body()).isEqualTo("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
                + "\"title\":\"Too Many Requests\",\"status\":429,"
                + "\"detail\":\"Rate limit exceeded for policy Orders#get; retry after 20 seconds.\","
                + "\"violated-policies\":[\"Orders#get\"]}");
    }

    @Test
    void classLimitIsSharedByItsMethodsAndMethodLimitsAddToIt() throws Exception {
        HttpResponse<String> b = server.get("/catalog/b");
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(b.headers().firstValue("RateLimit-Policy")).hasValue("\"Catalog\";q=4;w=60, \"catalog-b\";q=1;w=60");
        // catalog-b is spent: refused, and the refusal takes no token from the class policy
        HttpResponse<String> refused = server.get("/catalog/b");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("\"violated-policies\":[\"catalog-b\"]");
        int admitted = 0;
        for (int i = 0; i < 5; i++) {
            admitted += server.get("/catalog/a").statusCode() == 200 ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(3);
        assertThat(server.get("/catalog/a").headers().firstValue("RateLimit")).hasValue("\"Catalog\";r=0;t=15");
    }

    @Test
    void pathParameterKeysGiveEachValueItsOwnBucket() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(server.get("/orders/by-customer/alice").statusCode()).isEqualTo(200);
        }
        assertThat(server.get("/orders/by-customer/alice").statusCode()).isEqualTo(429);
        HttpResponse<String> bob = server.get("/orders/by-customer/bob");
        assertThat(bob.statusCode()).isEqualTo(200);
        assertThat(bob.headers().firstValue("RateLimit")).hasValue("\"per-customer\";r=1;t=30");
    }

    @Test
    void principalKeysSeeTheUserThatAuthenticationSet() throws Exception {
        assertThat(server.get("/orders/mine", "X-User", "ann").statusCode()).isEqualTo(200);
        assertThat(server.get("/orders/mine", "X-User", "ann").statusCode()).isEqualTo(429);
        assertThat(server.get("/orders/mine", "X-User", "ben").statusCode()).isEqualTo(200);
    }

    @Test
    void configurationOverridesTheAnnotationsLimitByName() throws Exception {
        HttpResponse<String> first = server.post("/orders");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"orders-create\";q=1;w=60");
        assertThat(server.post("/orders").statusCode()).isEqualTo(429);
    }

    @Test
    void configurationSwitchesAPolicyOff() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = server.get("/orders/switched-off");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("RateLimit-Policy")).isEmpty();
        }
    }

    @Test
    void unannotatedMethodsGetNoHeadersAndNoBucket() throws Exception {
        LocalBucketStore store = (LocalBucketStore) server.engine().store();
        long buckets = store.size();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = server.get("/orders/free");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("ratelimit")
                    || name.equalsIgnoreCase("retry-after"));
        }
        assertThat(store.size()).isEqualTo(buckets);
    }

    @Test
    void suspendedAsyncResourcesAreLimited() throws Exception {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> admitted = server.get("/async/suspended");
            assertThat(admitted.statusCode()).isEqualTo(200);
            assertThat(admitted.body()).isEqualTo("resumed");
            assertThat(admitted.headers().firstValue("RateLimit")).hasValue("\"Async#suspended\";r=" + (1 - i) + ";t=" + (30 * (i + 1)));
        }
        HttpResponse<String> refused = server.get("/async/suspended");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
    }

    @Test
    void completionStageResourcesAreLimited() throws Exception {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> admitted = server.get("/async/stage");
            assertThat(admitted.statusCode()).isEqualTo(200);
            assertThat(admitted.body()).isEqualTo("completed");
            assertThat(admitted.headers().firstValue("RateLimit-Policy")).hasValue("\"Async#stage\";q=2;w=60");
        }
        assertThat(server.get("/async/stage").statusCode()).isEqualTo(429);
    }

    @Test
    void resolverSwitchesLimitsAtAClockBoundaryWithoutResettingTheBucket() throws Exception {
        ManualClock clock = ManualClock.startingNow();
        Resources.PeakHours.boundary = Instant.ofEpochSecond(0, clock.currentTimeNanos()).plus(Duration.ofMinutes(30));
        Resources.PeakHours.CALLS.set(0);
        try (TestServer peak = TestServer.start(setup(Resources.Peak.class).withClock(clock)
                .withConfiguration("sluice.policy.peak.resolver-interval=5m\n"))) {
            assertThat(Resources.PeakHours.CALLS.get()).isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                assertThat(peak.get("/peak").headers().firstValue("RateLimit-Policy")).hasValue("\"peak\";q=5;w=86400");
            }
            // 29 minutes: not yet the boundary; the resolver is asked once per 5 minutes, not per request
            clock.advance(Duration.ofMinutes(29));
            assertThat(peak.get("/peak").headers().firstValue("RateLimit")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("\"peak\";r=1;"));
            assertThat(peak.get("/peak").statusCode()).isEqualTo(200);
            assertThat(Resources.PeakHours.CALLS.get()).isEqualTo(2);
            clock.advance(Duration.ofMinutes(5));
            // Past the boundary: 3/day now. The bucket spent 5 of 5; it keeps that (a reset would admit 3 more).
            HttpResponse<String> refused = peak.get("/peak");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"peak\";q=3;w=86400");
            assertThat(Resources.PeakHours.CALLS.get()).isEqualTo(3);
        }
    }

    @Test
    void theFeatureUsesTheEngineOfTheServletFilter() throws Exception {
        TestServer both = TestServer.start(setup(Resources.Orders.class).behindFilter().withConfiguration("""
                sluice.policy.everything.path=/*
                sluice.policy.everything.limit=100/minute
                sluice.policy.orders-create.limit=2/minute
                """));
        try {
            Sluice engine = both.engine();
            HttpResponse<String> response = both.post("/orders");
            assertThat(response.statusCode()).isEqualTo(200);
            // Filter and feature answer from one configuration and one store, in one header.
            assertThat(response.headers().allValues("RateLimit-Policy")).containsExactly(
                    "\"everything\";q=100;w=60, \"orders-create\";q=2;w=60");
            assertThat(both.post("/orders").statusCode()).isEqualTo(200);
            HttpResponse<String> refused = both.post("/orders");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().allValues("RateLimit")).containsExactly(
                    "\"everything\";r=97;t=2, \"orders-create\";r=0;t=30");
            assertThat(((LocalBucketStore) engine.store()).size()).isEqualTo(2);
            both.stop();
            // Both entry points gave the engine back when the application stopped: it is closed.
            assertThat(((LocalBucketStore) engine.store()).size()).isZero();
        } finally {
            both.close();
        }
    }

    @Test
    void anOpenBreakerRefusesBeforeTheRateLimitSoItsRefusalsTakeNoToken() throws Exception {
        ManualClock clock = ManualClock.startingNow();
        try (TestServer guarded = TestServer.start(setup(Resources.Guarded.class).withClock(clock)
                .withConfiguration(GUARD_CONFIGURATION))) {
            Breaker breaker = trip(guarded);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> refused = guarded.get("/guarded");
                // the servlet filter's answer for an open breaker, and no rate-limit headers: no bucket was asked
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
                assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(refused.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("ratelimit"));
                assertThat(refused.body()).isEqualTo("{\"type\":\"https://iana.org/assignments/http-problem-types#temporary-reduced-capacity\","
                        + "\"title\":\"Service Unavailable\",\"status\":503,"
                        + "\"detail\":\"The guard circuit breaker is open; retry after 10 seconds.\",\"breaker\":\"guard\"}");
            }
            assertThat(breaker.stats().notPermitted()).isEqualTo(5);
            clock.advance(Duration.ofSeconds(10));
            HttpResponse<String> probe = guarded.get("/guarded");
            assertThat(probe.statusCode()).isEqualTo(200);
            assertThat(probe.headers().firstValue("RateLimit")).hasValue("\"guarded\";r=2;t=20");
            assertThat(guarded.get("/guarded/unguarded").headers().firstValue("RateLimit")).hasValue("\"guarded\";r=1;t=40");
            assertThat(guarded.get("/guarded/unguarded").headers().firstValue("RateLimit")).hasValue("\"guarded\";r=0;t=60");
            assertThat(guarded.get("/guarded/unguarded").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aRateLimitedRequestIsNeitherACallNorAFailureOfTheBreaker() throws Exception {
        ManualClock clock = ManualClock.startingNow();
        try (TestServer guarded = TestServer.start(setup(Resources.Guarded.class).withClock(clock)
                .withConfiguration(GUARD_CONFIGURATION))) {
            Breaker breaker = guarded.engine().breaker("guard");
            for (int i = 0; i < 3; i++) {
                assertThat(guarded.get("/guarded/unguarded").statusCode()).isEqualTo(200);
            }
            // two failures in a row open it: 429s counted as failures would
            for (int i = 0; i < 3; i++) {
                assertThat(guarded.get("/guarded").statusCode()).isEqualTo(429);
            }
            assertThat(breaker.state()).isEqualTo("CLOSED");
            trip(guarded);
            clock.advance(Duration.ofSeconds(10));
            // the refused request asked the breaker first, which let it through as the one half-open probe
            assertThat(guarded.get("/guarded").statusCode()).isEqualTo(429);
            assertThat(breaker.state()).isEqualTo("HALF_OPEN");
            assertThat(breaker.tryEnter()).as("the probe's permission was given back").isTrue();
            breaker.record(Breaker.Outcome.SUCCESS, 0);
            assertThat(breaker.state()).isEqualTo("CLOSED");
        }
    }

    @Test
    void aRequestThatALaterFilterRefusesGivesItsBreakerPermissionBack() throws Exception {
        ManualClock clock = ManualClock.startingNow();
        try (TestServer guarded = TestServer.start(setup(Resources.Guarded.class, Resources.HeaderAuthorization.class)
                .withClock(clock).withConfiguration(GUARD_CONFIGURATION))) {
            Breaker breaker = trip(guarded);
            clock.advance(Duration.ofSeconds(10));
            assertThat(guarded.get("/guarded", "X-Deny", "yes").statusCode()).isEqualTo(403);
            assertThat(breaker.state()).isEqualTo("HALF_OPEN");
            HttpResponse<String> probe = guarded.get("/guarded");
            assertThat(probe.statusCode()).isEqualTo(200);
            assertThat(probe.body()).isEqualTo("guarded");
        }
    }

    /** Opens the breaker {@code guard} directly: a request's outcome may reach it just after its client (Jersey). */
    private static Breaker trip(TestServer server) throws Exception {
        Breaker breaker = server.engine().breaker("guard");
        for (int i = 0; i < 2; i++) {
            assertThat(breaker.tryEnter()).isTrue();
            breaker.record(Breaker.Outcome.SERVER_ERROR, 0);
        }
        assertThat(breaker.state()).isEqualTo("OPEN");
        return breaker;
    }

    @Test
    void behindAnAppendingProxyAClientSentForwardedGets429InsteadOfAFreshBucket() throws Exception {
        // The test client at 127.0.0.1 plays a proxy that appends to X-Forwarded-For and passes the
        // client's own Forwarded header on; Orders#get allows 3 a minute per client address.
        try (TestServer own = TestServer.start(setup(Resources.Orders.class)
                .withConfiguration("sluice.trusted-proxies=127.0.0.1\n"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(own.get("/orders/1", "X-Forwarded-For", "9.9.9.9", "Forwarded", "for=10.1.2." + i).statusCode())
                        .isEqualTo(200);
            }
            assertThat(own.get("/orders/1", "X-Forwarded-For", "9.9.9.9", "Forwarded", "for=10.1.2.3").statusCode())
                    .isEqualTo(429);
            assertThat(own.get("/orders/1", "X-Forwarded-For", "8.8.8.8").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withForwardedChosenAClientSentXForwardedForGets429InsteadOfAFreshBucket() throws Exception {
        try (TestServer own = TestServer.start(setup(Resources.Orders.class).withConfiguration("""
                sluice.trusted-proxies=127.0.0.1
                sluice.client-ip-header=Forwarded
                """))) {
            for (int i = 0; i < 3; i++) {
                assertThat(own.get("/orders/1", "Forwarded", "for=\"[2001:db8::9]:4711\"", "X-Forwarded-For", "1.1.1." + i)
                        .statusCode()).isEqualTo(200);
            }
            assertThat(own.get("/orders/1", "Forwarded", "for=\"[2001:db8::9]\"", "X-Forwarded-For", "1.1.1.3").statusCode())
                    .isEqualTo(429);
            // Without Forwarded the proxy itself is the client, whatever X-Forwarded-For says.
            for (int i = 0; i < 3; i++) {
                assertThat(own.get("/orders/1", "X-Forwarded-For", "5.5.5." + i).statusCode()).isEqualTo(200);
            }
            assertThat(own.get("/orders/1", "X-Forwarded-For", "5.5.5.3").statusCode()).isEqualTo(429);
            assertThat(own.get("/orders/1", "Forwarded", "for=198.51.100.4").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBadLimitExpressionFailsDeployment() {
        assertDeploymentFails(BadAnnotations.BadExpression.class,
                "dev.sluice.jaxrs.BadAnnotations$BadExpression#get: @RateLimit(value = \"5/fortnight\"): invalid limit"
                        + " '5/fortnight': expected a time unit (s, sec, second(s), m, min, minute(s), h, hour(s), d, day(s)),"
                        + " found 'fortnight' at position 3");
    }

    @Test
    void anUnknownKeyKindFailsDeployment() {
        assertDeploymentFails(BadAnnotations.UnknownKey.class,
                "dev.sluice.jaxrs.BadAnnotations$UnknownKey#get: @RateLimit(key = \"cookie:session\"): invalid key"
                        + " 'cookie:session': unknown key kind 'cookie:session'");
    }

    @Test
    void aPathKeyWithoutThatTemplateParameterFailsDeployment() {
        assertDeploymentFails(BadAnnotations.MissingPathParameter.class,
                "dev.sluice.jaxrs.BadAnnotations$MissingPathParameter#get: @RateLimit(key = \"path:customer\"):"
                        + " the path template 'bad/{id}' has no parameter {customer}");
    }

    @Test
    void oneNameWithTwoLimitsFailsDeployment() {
        // The runtime chooses which of the two methods it configures first.
        assertThatThrownBy(() -> TestServer.start(setup(BadAnnotations.OneNameTwoLimits.class)))
                .satisfies(failure -> assertThat(configurationFailure(failure)).hasMessageMatching(
                        "dev\\.sluice\\.jaxrs\\.BadAnnotations\\$OneNameTwoLimits#[ab]: @RateLimit\\(value = \"(5|10)/minute\"\\):"
                        + " policy 'shared' is declared at dev\\.sluice\\.jaxrs\\.BadAnnotations\\$OneNameTwoLimits#[ab]"
                        + " with value = \"(5|10)/minute\"; one name is one policy, .*"));
    }

    @Test
    void aResolverThatCannotBeBuiltFailsDeployment() {
        assertDeploymentFails(BadAnnotations.UnbuildableResolver.class,
                "dev.sluice.jaxrs.BadAnnotations$UnbuildableResolver#get: @RateLimit(resolver = "
                        + "dev.sluice.jaxrs.BadAnnotations$NoDefaultConstructor.class): cannot create it through a public"
                        + " no-argument constructor");
    }

    @Test
    void anOverrideThatNoAnnotationDeclaresFailsDeployment() {
        assertThatThrownBy(() -> TestServer.start(setup(Resources.Peak.class).withConfiguration("sluice.policy.paek.limit=1/day\n")))
                .satisfies(failure -> assertThat(configurationFailure(failure)).hasMessageStartingWith("Sluice configuration file:")
                        .hasMessageContaining(".properties: sluice.policy.paek.limit=1/day: policy 'paek' has no path and no"
                                + " @RateLimit of the JAX-RS application declares it"));
    }

    private void assertDeploymentFails(Class<?> resource, String message) {
        assertThatThrownBy(() -> TestServer.start(setup(resource)))
                .satisfies(failure -> assertThat(configurationFailure(failure)).hasMessageContaining(message));
    }

    /** The runtime wraps what the feature threw; find it. */
    static ConfigurationException configurationFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigurationException configuration) {
                return configuration;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                ConfigurationException found = configurationFailure(suppressed);
                if (found != null) {
                    return found;
                }
            }
        }
        throw new AssertionError("deployment failed without a ConfigurationException", failure);
    }
}
