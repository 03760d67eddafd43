package dev.sluice.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.sluice.core.LimitResolver;

/**
 * Declares a rate-limit policy on a JAX-RS resource method or resource class. The policy is bound
 * to the matched resource method, not to the URL: {@code /orders/1} and {@code /orders/2} draw from
 * the same policy (per key).
 *
 * <p>Where it applies: on a method, to that resource method; on a class, to every resource method
 * of the class. A method's own annotations add to its class's, and the annotation repeats: every
 * policy that applies must admit a request, and a request that one refuses takes no token from the
 * others. A class-level policy is one policy shared by all the methods of the class.
 *
 * <p>The attributes are defaults. The configuration file overrides each by the policy's name
 * ({@code sluice.policy.<name>.limit}, {@code .key}, {@code .cost}, {@code .enforce},
 * {@code .resolver}, {@code .resolver-interval}) and {@code sluice.policy.<name>.enabled=false}
 * switches the policy off, so operators retune without recompiling. Everything is read and checked
 * once at deployment; a bad attribute stops deployment with a message naming
 * {@code Class#method}, the attribute and the value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(RateLimit.List.class)
public @interface RateLimit {

    /**
     * The limit expression, as in the filter's configuration: {@code 5/minute}, {@code 10 per hour},
     * {@code 10/second burst 50}, {@code 1000/hour fixed}, several joined with {@code ;}.
     */
    String value();

    /**
     * The policy's name: its bucket namespace, its name in the rate-limit headers and its
     * configuration key. Default {@code SimpleClassName#method} on a method, {@code SimpleClassName}
     * on a class. Two annotations with one name are one policy and must agree on every attribute.
     */
    String name() default "";

    /**
     * Whose bucket a request draws from: {@code global}, {@code ip}, {@code header:NAME},
     * {@code principal}, {@code query:NAME}, {@code path:NAME} (a path parameter of the resource
     * method's template), {@code class:FQCN} (a {@link dev.sluice.core.KeyResolver}), or a
     * comma-separated fallback list such as {@code header:X-Api-Key,ip}. Default {@code ip}.
     */
    String key() default "ip";

    /** Tokens one request takes; at most the smallest capacity of the limits. Default 1. */
    long cost() default 1;

    /** {@code false} for shadow mode: refusals are reported in the headers but not enforced. */
    boolean enforce() default true;

    /**
     * A {@link LimitResolver} whose answers replace the limit while the application runs, such as
     * a lower limit at peak hours; {@code LimitResolver.class} (the default) means none. The class
     * needs a public no-argument constructor.
     */
    Class<? extends LimitResolver> resolver() default LimitResolver.class;

    /** Holds repeated {@link RateLimit} annotations; write the annotation several times instead. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        /** The repeated annotations. */
        RateLimit[] value();
    }
}
