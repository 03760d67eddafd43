package dev.sluice.jaxrs;

import java.time.Instant;

import dev.sluice.core.LimitResolver;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Resources whose annotations must stop deployment. */
final class BadAnnotations {

    private BadAnnotations() {
    }

    @Path("bad")
    public static class BadExpression {
        @GET
        @RateLimit("5/fortnight")
        public String get() {
            return "never";
        }
    }

    @Path("bad")
    public static class UnknownKey {
        @GET
        @RateLimit(value = "5/minute", key = "cookie:session")
        public String get() {
            return "never";
        }
    }

    @Path("bad/{id}")
    public static class MissingPathParameter {
        @GET
        @RateLimit(value = "5/minute", key = "path:customer")
        public String get() {
            return "never";
        }
    }

    @Path("bad")
    public static class OneNameTwoLimits {
        @GET
        @Path("a")
        @RateLimit(value = "5/minute", name = "shared")
        public String a() {
            return "never";
        }

        @GET
        @Path("b")
        @RateLimit(value = "10/minute", name = "shared")
        public String b() {
            return "never";
        }
    }

    public static final class NoDefaultConstructor implements LimitResolver {
        public NoDefaultConstructor(String limit) {
            // a resolver the feature cannot build
        }

        @Override
        public String limit(String policy, Instant now) {
            return null;
        }
    }

    @Path("bad")
    public static class UnbuildableResolver {
        @GET
        @RateLimit(value = "5/minute", resolver = NoDefaultConstructor.class)
        public String get() {
            return "never";
        }
    }
}
