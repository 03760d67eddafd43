package dev.sluice.it.paths;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;

/**
 * A Jersey application with no Sluice annotations: only the filter's path rules protect it. Each
 * resource answers with its name and the path the container gave the filter.
 */
public final class PathApp extends Application {

    /** Opened by the test to let the requests held in {@code slow} finish. */
    static volatile CountDownLatch release = new CountDownLatch(1);
    /** Counted down by every request that reaches {@code slow}. */
    static volatile CountDownLatch entered = new CountDownLatch(1);

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(Status.class, Slow.class);
    }

    private static String seen(String name, HttpServletRequest request) {
        return name + " " + request.getServletPath() + "|" + request.getPathInfo();
    }

    /** The limited resource. */
    @Path("status")
    public static final class Status {
        @Context
        private HttpServletRequest request;

        @GET
        public String get() {
            return seen("status", request);
        }
    }

    /** The pooled resource: holds each request until released. */
    @Path("slow")
    public static final class Slow {
        @Context
        private HttpServletRequest request;

        @GET
        public String get() throws InterruptedException {
            entered.countDown();
            if (!release.await(10, TimeUnit.SECONDS)) {
                return "slow never released";
            }
            return seen("slow", request);
        }
    }
}
