package dev.sluice.jaxrs;

import java.io.IOException;
import java.security.Principal;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.core.LimitResolver;
import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

/** The resources the feature tests deploy, on Jersey and on RESTEasy alike. */
final class Resources {

    private Resources() {
    }

    static final ExecutorService ASYNC = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-async");
        thread.setDaemon(true);
        return thread;
    });

    @Path("orders")
    public static class Orders {
        @GET
        @Path("{id}")
        @RateLimit("3/minute")
        public String get(@PathParam("id") String id) {
            return "order " + id;
        }

        @GET
        @Path("by-customer/{customer}")
        @RateLimit(value = "2/minute", name = "per-customer", key = "path:customer")
        public String byCustomer(@PathParam("customer") String customer) {
            return "orders of " + customer;
        }

        @POST
        @RateLimit(value = "100/minute", name = "orders-create")
        public String create() {
            return "created";
        }

        @GET
        @Path("switched-off")
        @RateLimit(value = "1/hour", name = "switched-off")
        public String switchedOff() {
            return "unlimited by configuration";
        }

        @GET
        @Path("free")
        public String free() {
            return "free";
        }

        @GET
        @Path("mine")
        @RateLimit(value = "1/minute", name = "per-user", key = "principal")
        public String mine() {
            return "mine";
        }
    }

    /** A class limit shared by every method, and a method limit added to it. */
    @Path("catalog")
    @RateLimit(value = "4/minute", key = "global")
    public static class Catalog {
        @GET
        @Path("a")
        public String a() {
            return "a";
        }

        @GET
        @Path("b")
        @RateLimit(value = "1/minute", name = "catalog-b")
        public String b() {
            return "b";
        }
    }

    @Path("async")
    public static class Async {
        @GET
        @Path("suspended")
        @RateLimit("2/minute")
        public void suspended(@Suspended AsyncResponse response) {
            ASYNC.execute(() -> response.resume("resumed"));
        }

        @GET
        @Path("stage")
        @RateLimit("2/minute")
        public CompletionStage<String> stage() {
            return CompletableFuture.supplyAsync(() -> "completed", ASYNC);
        }
    }

    /** 5/day until {@link #boundary}, 3/day from then on. */
    public static final class PeakHours implements LimitResolver {
        static volatile Instant boundary = Instant.MAX;
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public String limit(String policy, Instant now) {
            CALLS.incrementAndGet();
            return now.isBefore(boundary) ? null : "3/day";
        }
    }

    @Path("peak")
    public static class Peak {
        @GET
        @RateLimit(value = "5/day", name = "peak", key = "global", resolver = PeakHours.class)
        public String get() {
            return "peak";
        }
    }

    /** One policy on two methods, only one of them behind the breaker {@code guard}. */
    @Path("guarded")
    public static class Guarded {
        @GET
        @RateLimit(value = "3/minute", name = "guarded")
        @CircuitBreaker("guard")
        public String get() {
            return "guarded";
        }

        /** Draws from the same bucket without meeting the breaker. */
        @GET
        @Path("unguarded")
        @RateLimit(value = "3/minute", name = "guarded")
        public String unguarded() {
            return "unguarded";
        }
    }

    /** Refuses a request that carries {@code X-Deny} at {@link Priorities#AUTHORIZATION}: after the rate limits, before the method. */
    @Provider
    @Priority(Priorities.AUTHORIZATION)
    public static class HeaderAuthorization implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getHeaderString("X-Deny") != null) {
                request.abortWith(Response.status(Response.Status.FORBIDDEN).build());
            }
        }
    }

    /** Authenticates {@code X-User} at {@link Priorities#AUTHENTICATION}, before the rate limit runs. */
    @Provider
    @Priority(Priorities.AUTHENTICATION)
    public static class HeaderAuthentication implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) throws IOException {
            String user = request.getHeaderString("X-User");
            if (user == null) {
                return;
            }
            Principal principal = () -> user;
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return false;
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "test";
                }
            });
        }
    }
}
