package dev.sluice.it.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.it.isolation.TestServlets;
import dev.sluice.core.ManualClock;
import dev.sluice.it.Http;
import dev.sluice.it.TestServer;
import dev.sluice.servlet.IsolatingServlet;
import dev.sluice.servlet.SluiceFilter;
import dev.sluice.servlet.SluiceInitializer;
import dev.sluice.servlet.SluiceServletContext;

/**
 * {@code @Isolated} and {@code @CircuitBreaker} on a real servlet container and JAX-RS implementation;
 * subclasses choose both. One application serves every test (each uses pools and breakers of its
 * own): {@code /api/*} is the JAX-RS servlet, behind the servlet filter (which puts {@code /api/hop}
 * under the permits pool {@code hop}), and {@code /wrapped/*} the same application behind an
 * {@link IsolatingServlet} on the pool {@code outer}. Tests wait on latches, not sleeps, wherever
 * the behaviour allows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JaxRsIsolationContract {

    private static final String CONFIG = """
            sluice.pool.work.threads=4
            sluice.pool.work.queue=8
            sluice.pool.work.timeout=20s
            sluice.pool.wide.threads=4
            sluice.pool.wide.queue=8
            sluice.pool.wide.timeout=20s
            sluice.pool.solo.threads=1
            sluice.pool.solo.queue=8
            sluice.pool.solo.timeout=20s
            sluice.pool.tight.threads=1
            sluice.pool.tight.queue=1
            sluice.pool.tight.timeout=20s
            sluice.pool.quick.threads=2
            sluice.pool.quick.timeout=1s
            sluice.pool.gate.mode=permits
            sluice.pool.gate.threads=1
            sluice.pool.gate.queue=1
            sluice.pool.gate.timeout=20s
            sluice.pool.outer.threads=2
            sluice.pool.outer.queue=4
            sluice.pool.outer.timeout=20s
            sluice.pool.hop.mode=permits
            sluice.pool.hop.threads=2
            sluice.policy.hop.path=/api/hop
            sluice.policy.hop.pool=hop
            sluice.policy.wrapped.path=/wrapped/*
            sluice.policy.wrapped.pool=outer
            sluice.breaker.flaky.consecutive-failures=2
            sluice.breaker.flaky.open-for=10s
            sluice.breaker.thrown.consecutive-failures=1
            sluice.breaker.thrown.failures=exceptions
            sluice.breaker.slowdown.consecutive-failures=1
            sluice.breaker.slowdown.failures=timeouts
            sluice.breaker.slowdown.open-for=10s
            sluice.breaker.metered.consecutive-failures=1
            sluice.breaker.metered.open-for=10s
            """;

    @TempDir
    static Path directory;

    private final ManualClock clock = ManualClock.startingNow();
    private TestServer server;

    abstract TestServer.Kind kind();

    abstract JaxRsRuntime runtime();

    @BeforeAll
    void startServer() throws Exception {
        Path config = Files.writeString(Files.createTempFile(directory, "sluice", ".properties"), CONFIG);
        String location = "file:" + config;
        String[] wrapped = Stream.concat(Stream.of("delegate", runtime().servlet().getName()),
                Stream.of(runtime().initParams(IsolationApp.class, "/wrapped", location))).toArray(String[]::new);
        server = TestServer.app()
                .maxThreads(10)
                .attribute(SluiceServletContext.CLOCK_ATTRIBUTE, clock)
                .initializer(new SluiceInitializer())
                .filter(TestServlets.ContextFilter.class, "/*")
                .filter(SluiceFilter.class, "/*", "config", location)
                .servlet(runtime().servlet(), "/api/*", runtime().initParams(IsolationApp.class, "/api", location))
                .servlet(IsolatingServlet.class, "/wrapped/*", wrapped)
                .start(kind(), directory);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void resetProbe() {
        JaxRsProbe.reset(0);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return Http.get(server.uri(path), headers);
    }

    /** Sends a request from a thread of its own: clients that block must not wait for each other. */
    private CompletableFuture<HttpResponse<String>> async(String path) {
        CompletableFuture<HttpResponse<String>> response = new CompletableFuture<>();
        Thread client = new Thread(() -> {
            try {
                response.complete(Http.get(server.uri(path)));
            } catch (Exception e) {
                response.completeExceptionally(e);
            }
        }, "test-client");
        client.setDaemon(true);
        client.start();
        return response;
    }

    /** Polls a stats resource until it reads as expected (the engine learns of a request's end just after its client); bounded. */
    private void awaitStats(String path, String expected) {
        await(path + " reads " + expected).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(get("/api/stats/" + path).body()).startsWith(expected));
    }

    private static void awaitCount(AtomicInteger counter, int expected) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> counter.get() >= expected);
        assertThat(counter.get()).isEqualTo(expected);
    }

    private static void assertProblem(HttpResponse<String> response, String member, String name, String retryAfter) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue(retryAfter);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body())
                .contains("\"type\":\"https://iana.org/assignments/http-problem-types#temporary-reduced-capacity\"")
                .contains("\"status\":503")
                .contains("\"" + member + "\":\"" + name + "\"");
    }

    @Test
    void plainResponseSuspendedAndCompletionStageMethodsRunOnThePoolsThreads() throws Exception {
        for (String kind : List.of("sync", "response", "suspended", "stage")) {
            HttpResponse<String> response = get("/api/kinds/" + kind);
            assertThat(response.statusCode()).as(kind).isEqualTo(200);
            assertThat(response.body()).as(kind).startsWith("sluice-work-");
        }
        assertThat(get("/api/kinds/response").headers().firstValue("X-Kind")).hasValue("response");
    }

    @Test
    void aVoidMethodAnswers204OnlyAfterItHasRun() throws Exception {
        JaxRsProbe.reset(1);
        CompletableFuture<HttpResponse<String>> response = async("/api/kinds/void");
        assertThat(JaxRsProbe.started.await(30, TimeUnit.SECONDS)).isTrue();
        // Proving that no answer comes takes a wait; an early 204 would come within milliseconds.
        assertThatThrownBy(() -> response.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        JaxRsProbe.release.countDown();
        HttpResponse<String> answered = response.get(30, TimeUnit.SECONDS);
        long answeredNanos = System.nanoTime();
        assertThat(answered.statusCode()).isEqualTo(204);
        assertThat(JaxRsProbe.voidThread).startsWith("sluice-work-");
        assertThat(JaxRsProbe.voidFinishedNanos).as("the method had finished when the answer came").isNotZero();
        assertThat(JaxRsProbe.voidFinishedNanos - answeredNanos).isNegative();
    }

    @Test
    void moreRequestsWaitOnThePoolThanTheContainerHasThreadsAndItStillAnswers() throws Exception {
        int blocked = 12;
        JaxRsProbe.reset(4);
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < blocked; i++) {
            waiting.add(async("/api/wide"));
        }
        assertThat(JaxRsProbe.started.await(30, TimeUnit.SECONDS)).isTrue();
        awaitStats("pool/wide", "active=4 queued=8");
        assertThat(get("/api/stats/pool/tight").statusCode()).isEqualTo(200);
        JaxRsProbe.release.countDown();
        for (CompletableFuture<HttpResponse<String>> response : waiting) {
            HttpResponse<String> done = response.get(30, TimeUnit.SECONDS);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(done.body()).startsWith("sluice-wide-");
        }
    }

    @Test
    void aFullPoolAnswers503AtOnce() throws Exception {
        JaxRsProbe.reset(1);
        CompletableFuture<HttpResponse<String>> running = async("/api/tight");
        assertThat(JaxRsProbe.started.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> queued = async("/api/tight");
        awaitStats("pool/tight", "active=1 queued=1");
        HttpResponse<String> refused = get("/api/tight");
        assertProblem(refused, "pool", "tight", "20");
        assertThat(refused.body()).contains("is full");
        awaitStats("pool/tight", "active=1 queued=1 parked=0 rejected=1");
        JaxRsProbe.release.countDown();
        assertThat(running.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(queued.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aTimeoutAnswers503OnceInterruptsTheMethodDropsItsLateAnswerAndTripsTheBreaker() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> timedOut = get("/api/quick/late");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertProblem(timedOut, "pool", "quick", "1");
        assertThat(timedOut.body()).contains("timed out").doesNotContain("LATE");
        assertThat(elapsedMillis).as("answered at the deadline, not when the method ended").isBetween(900L, 10_000L);
        awaitCount(JaxRsProbe.interrupted, 1);
        awaitCount(JaxRsProbe.lateReturns, 1);
        awaitStats("breaker/slowdown", "OPEN");
        HttpResponse<String> open = get("/api/quick/late");
        assertProblem(open, "breaker", "slowdown", "10");
        assertThat(JaxRsProbe.lateReturns.get()).as("refused without reaching the method").isEqualTo(1);
        assertThat(get("/api/kinds/sync").statusCode()).isEqualTo(200);
    }

    @Test
    void aLateResumeOfASuspendedResponseIsDropped() throws Exception {
        HttpResponse<String> timedOut = get("/api/quick/late-suspended");
        assertProblem(timedOut, "pool", "quick", "1");
        assertThat(timedOut.body()).contains("timed out");
        JaxRsProbe.release.countDown();
        assertThat(JaxRsProbe.lateResume.get(30, TimeUnit.SECONDS)).as("resume() after the 503").isFalse();
        assertThat(get("/api/kinds/suspended").body()).startsWith("sluice-work-");
    }

    @Test
    void thePoolThreadSeesTheRequestThreadsContextAndNothingLeftOver() throws Exception {
        HttpResponse<String> first = get("/api/context", "X-Request-Id", "req-1", "X-User", "alice");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Thread")).hasValue("sluice-solo-1");
        assertThat(first.headers().firstValue("X-Mdc")).hasValue("req-1");
        assertThat(first.headers().firstValue("X-Loader")).hasValue("true");
        assertThat(first.headers().firstValue("X-Principal")).hasValue("alice");
        assertThat(first.headers().firstValue("X-Pool")).hasValue("solo");
        assertThat(first.headers().firstValue("X-Pool-Attribute")).hasValue("solo");
        HttpResponse<String> second = get("/api/context");
        assertThat(second.headers().firstValue("X-Thread")).hasValue("sluice-solo-1");
        assertThat(second.headers().firstValue("X-Mdc")).hasValue("null");
        assertThat(second.headers().firstValue("X-Principal")).hasValue("none");
    }

    @Test
    void aSingletonsRequestBoundFieldsResolveOnThePoolThread() throws Exception {
        for (String probe : List.of("one", "two")) {
            HttpResponse<String> response = get("/api/scoped", "X-Probe", probe);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).matches("sluice-work-\\d+ /?scoped " + probe);
        }
    }

    @Test
    void permitsRunOneAtATimeOnContainerThreadsParkTheNextAndRefuseBeyondTheQueue() throws Exception {
        JaxRsProbe.reset(1);
        CompletableFuture<HttpResponse<String>> running = async("/api/gate");
        assertThat(JaxRsProbe.started.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> parked = async("/api/gate");
        awaitStats("pool/gate", "active=1 queued=0 parked=1");
        HttpResponse<String> refused = get("/api/gate");
        assertProblem(refused, "pool", "gate", "20");
        assertThat(refused.body()).contains("is full");
        assertThat(JaxRsProbe.running.get()).isEqualTo(1);
        JaxRsProbe.release.countDown();
        for (CompletableFuture<HttpResponse<String>> response : List.of(running, parked)) {
            HttpResponse<String> done = response.get(30, TimeUnit.SECONDS);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(done.body()).doesNotStartWith("sluice-");
            assertThat(done.headers().firstValue("X-Pool")).hasValue("gate");
        }
        assertThat(JaxRsProbe.maxRunning.get()).isEqualTo(1);
        awaitStats("pool/gate", "active=0 queued=0 parked=0 rejected=1");
    }

    @Test
    void aRequestThatAlreadyRunsOnAPoolStaysThere() throws Exception {
        HttpResponse<String> sync = get("/wrapped/kinds/sync");
        assertThat(sync.statusCode()).isEqualTo(200);
        assertThat(sync.body()).startsWith("sluice-outer-");
        HttpResponse<String> context = get("/wrapped/context");
        assertThat(context.headers().firstValue("X-Thread")).hasValueSatisfying(thread -> assertThat(thread).startsWith("sluice-outer-"));
        assertThat(context.headers().firstValue("X-Pool")).hasValue("outer");
    }

    @Test
    void aRequestTheServletFilterAdmittedUnderAPermitStaysOnTheContainerThread() throws Exception {
        HttpResponse<String> response = get("/api/hop");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotStartWith("sluice-");
        assertThat(response.headers().firstValue("X-Pool")).hasValue("hop");
    }

    @Test
    void anOpenBreakerAnswers503WithoutReachingTheMethodThenHalfOpensAndCloses() throws Exception {
        assertThat(get("/api/flaky?fail=500").statusCode()).isEqualTo(500);
        assertThat(get("/api/flaky?fail=throw").statusCode()).isEqualTo(500);
        awaitStats("breaker/flaky", "OPEN");
        int reached = JaxRsProbe.reached.get();
        HttpResponse<String> open = get("/api/flaky");
        assertProblem(open, "breaker", "flaky", "10");
        assertThat(open.body()).contains("circuit breaker is open");
        assertThat(JaxRsProbe.reached.get()).as("refused without reaching the method").isEqualTo(reached);
        clock.advance(Duration.ofSeconds(4));
        assertThat(get("/api/flaky").headers().firstValue("Retry-After")).hasValue("6");
        clock.advance(Duration.ofSeconds(6).plusMillis(1));
        HttpResponse<String> probe = get("/api/flaky");
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.body()).startsWith("sluice-work-");
        awaitStats("breaker/flaky", "CLOSED");
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/flaky").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anOpenBreakerRefusesBeforeTheRateLimitTakesATokenAndA429IsNoCallOfTheBreaker() throws Exception {
        assertThat(get("/api/metered?fail=500", "X-Client", "tripper").statusCode()).isEqualTo(500);
        awaitStats("breaker/metered", "OPEN");
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> open = get("/api/metered", "X-Client", "steady");
            assertProblem(open, "breaker", "metered", "10");
            assertThat(open.headers().firstValue("RateLimit")).as("no bucket was asked").isEmpty();
        }
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<String> probe = get("/api/metered", "X-Client", "steady");
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.body()).startsWith("sluice-work-");
        assertThat(probe.headers().firstValue("RateLimit")).hasValue("\"metered\";r=2;t=20");
        awaitStats("breaker/metered", "CLOSED");
        assertThat(get("/api/metered", "X-Client", "steady").headers().firstValue("RateLimit")).hasValue("\"metered\";r=1;t=40");
        assertThat(get("/api/metered", "X-Client", "steady").headers().firstValue("RateLimit")).hasValue("\"metered\";r=0;t=60");
        // one failure opens this breaker: the 429s must count neither as failures nor as calls
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/metered", "X-Client", "steady").statusCode()).isEqualTo(429);
        }
        awaitStats("breaker/metered", "CLOSED 0.0");
    }

    @Test
    void aBreakerThatCountsExceptionsIgnoresA500ButOpensWhenTheMethodThrows() throws Exception {
        assertThat(get("/api/strict?fail=500").statusCode()).isEqualTo(500);
        awaitStats("breaker/thrown", "CLOSED 0.0");
        assertThat(get("/api/strict?fail=throw").statusCode()).isEqualTo(500);
        awaitStats("breaker/thrown", "OPEN");
        assertProblem(get("/api/strict"), "breaker", "thrown", "10");
    }
}
