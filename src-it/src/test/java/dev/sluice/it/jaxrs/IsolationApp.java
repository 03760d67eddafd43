package dev.sluice.it.jaxrs;

import java.security.Principal;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.MDC;

import dev.sluice.it.isolation.TestServlets;
import dev.sluice.core.BreakerStats;
import dev.sluice.core.PoolStats;
import dev.sluice.core.Sluice;
import dev.sluice.jaxrs.CircuitBreaker;
import dev.sluice.jaxrs.Isolated;
import dev.sluice.jaxrs.IsolationContext;
import dev.sluice.jaxrs.RateLimit;
import dev.sluice.jaxrs.SluiceFeature;
import dev.sluice.servlet.IsolatingServlet;
import dev.sluice.servlet.SluiceServletContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * The JAX-RS application of the isolation suite, the same on Jersey and RESTEasy: one resource
 * class per pool, each method answering with the thread it ran on.
 */
public final class IsolationApp extends Application {

    private static final ExecutorService ASYNC = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-async");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(SluiceFeature.class, Kinds.class, Wide.class, Hop.class, Solo.class, Tight.class, Quick.class, Gate.class, Flaky.class, Strict.class, Metered.class, Stats.class);
    }

    @Override
    @SuppressWarnings("deprecation") // JAX-RS 3.1 deprecates getSingletons, but it is how an application declares one
    public Set<Object> getSingletons() {
        return Set.of(new Scoped());
    }

    private static String thread() {
        return Thread.currentThread().getName();
    }

    private static String awaitRelease() throws InterruptedException {
        JaxRsProbe.enter();
        try {
            if (!JaxRsProbe.release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } finally {
            JaxRsProbe.exit();
        }
        return thread();
    }

    /** Every kind of resource method, on the {@code work} pool. */
    @Path("kinds")
    @Isolated("work")
    public static final class Kinds {
        @GET
        @Path("sync")
        public String sync() {
            return thread();
        }

        @GET
        @Path("response")
        public Response response() {
            return Response.ok(thread()).header("X-Kind", "response").build();
        }

        @GET
        @Path("suspended")
        public void suspended(@Suspended AsyncResponse response) {
            String thread = thread();
            ASYNC.execute(() -> response.resume(thread));
        }

        @GET
        @Path("stage")
        public CompletionStage<String> stage() {
            String thread = thread();
            return CompletableFuture.supplyAsync(() -> thread, ASYNC);
        }

        /** Waits for the test's release, then leaves a trace: an early answer would come before both. */
        @GET
        @Path("void")
        public void nothing() throws InterruptedException {
            JaxRsProbe.voidThread = awaitRelease();
            JaxRsProbe.voidFinishedNanos = System.nanoTime();
        }

    }

    /** Four threads and eight places in the queue, for one test only: its capacity is exact. */
    @Path("wide")
    @Isolated("wide")
    public static final class Wide {
        @GET
        public String block() throws InterruptedException {
            return awaitRelease();
        }
    }

    /** On the {@code work} pool, but its path is also a servlet filter policy's, on the permits pool {@code hop}. */
    @Path("hop")
    @Isolated("work")
    public static final class Hop {
        @GET
        public Response get(@Context IsolationContext isolation) {
            return Response.ok(thread()).header("X-Pool", isolation.pool().orElse("none")).build();
        }
    }

    /** What the pool thread sees, on the one-thread pool {@code solo}. */
    @Path("context")
    @Isolated("solo")
    public static final class Solo {
        @GET
        public Response context(@Context SecurityContext security, @Context IsolationContext isolation,
                @Context HttpServletRequest request) {
            Principal principal = security.getUserPrincipal();
            return Response.ok("context")
                    .header("X-Thread", thread())
                    .header("X-Mdc", String.valueOf(MDC.get("request-id")))
                    .header("X-Loader", String.valueOf(Thread.currentThread().getContextClassLoader() == TestServlets.APP_LOADER))
                    .header("X-Principal", principal == null ? "none" : principal.getName())
                    .header("X-Pool", isolation.pool().orElse("none"))
                    .header("X-Pool-Attribute", String.valueOf(request.getAttribute(IsolatingServlet.POOL_ATTRIBUTE)))
                    .build();
        }
    }

    /** A singleton whose {@code @Context} fields are proxies that resolve through the request (Jersey: its request scope). */
    @Path("scoped")
    @Isolated("work")
    public static final class Scoped {
        @Context
        private UriInfo uri;
        @Context
        private HttpHeaders headers;

        @GET
        public String get() {
            return thread() + " " + uri.getPath() + " " + headers.getHeaderString("X-Probe");
        }
    }

    /** One thread, one place in the queue. */
    @Path("tight")
    @Isolated("tight")
    public static final class Tight {
        @GET
        public String block() throws InterruptedException {
            return awaitRelease();
        }
    }

    /** A one-second pool; {@code late} also trips the breaker {@code slowdown}, which opens on one timeout. */
    @Path("quick")
    @Isolated("quick")
    public static final class Quick {
        @GET
        @Path("late")
        @CircuitBreaker("slowdown")
        public String late() {
            JaxRsProbe.started.countDown();
            try {
                TimeUnit.SECONDS.sleep(20);
            } catch (InterruptedException e) {
                JaxRsProbe.interrupted.incrementAndGet();
            }
            JaxRsProbe.lateReturns.incrementAndGet();
            return "LATE";
        }

        @GET
        @Path("late-suspended")
        public void lateSuspended(@Suspended AsyncResponse response) {
            ASYNC.execute(() -> {
                try {
                    if (JaxRsProbe.release.await(30, TimeUnit.SECONDS)) {
                        JaxRsProbe.lateResume.complete(response.resume("LATE"));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** A permits pool: one at a time on container threads, one waiting. */
    @Path("gate")
    @Isolated("gate")
    public static final class Gate {
        @GET
        public Response block(@Context IsolationContext isolation) throws InterruptedException {
            return Response.ok(awaitRelease()).header("X-Pool", isolation.pool().orElse("none")).build();
        }
    }

    /** Behind the breaker {@code flaky}, on the {@code work} pool: {@code ?fail=500} answers 500, {@code ?fail=throw} throws. */
    @Path("flaky")
    @Isolated("work")
    @CircuitBreaker("flaky")
    public static final class Flaky {
        @GET
        public Response get(@QueryParam("fail") String fail) {
            JaxRsProbe.reached.incrementAndGet();
            if ("throw".equals(fail)) {
                throw new IllegalStateException("flaky failed");
            }
            return Response.status("500".equals(fail) ? 500 : 200).entity(thread()).build();
        }
    }

    /** Behind the breaker {@code thrown}, which counts only exceptions: {@code ?fail=500} answers 500, {@code ?fail=throw} throws. */
    @Path("strict")
    @Isolated("work")
    @CircuitBreaker("thrown")
    public static final class Strict {
        @GET
        public Response get(@QueryParam("fail") String fail) {
            return new Flaky().get(fail);
        }
    }

    /** On the {@code work} pool, behind the breaker {@code metered} and 3 requests a minute per {@code X-Client}: {@code ?fail=500} answers 500. */
    @Path("metered")
    @Isolated("work")
    @CircuitBreaker("metered")
    public static final class Metered {
        @GET
        @RateLimit(value = "3/minute", name = "metered", key = "header:X-Client")
        public Response get(@QueryParam("fail") String fail) {
            return new Flaky().get(fail);
        }
    }

    /** Not isolated: the engine's view of a pool or breaker. */
    @Path("stats")
    public static final class Stats {
        @Context
        private ServletContext context;

        @GET
        @Path("pool/{name}")
        public String pool(@PathParam("name") String name) {
            PoolStats stats = engine().poolStats().stream().filter(pool -> pool.pool().equals(name)).findFirst().orElseThrow();
            return "active=" + stats.active() + " queued=" + stats.queued() + " parked=" + stats.parked()
                    + " rejected=" + stats.rejected() + " timedOut=" + stats.timedOut();
        }

        @GET
        @Path("breaker/{name}")
        public String breaker(@PathParam("name") String name) {
            BreakerStats stats = engine().breakerStats().stream().filter(breaker -> breaker.breaker().equals(name)).findFirst().orElseThrow();
            return stats.state() + " " + stats.failureRate();
        }

        private Sluice engine() {
            return SluiceServletContext.engine(context);
        }
    }
}
