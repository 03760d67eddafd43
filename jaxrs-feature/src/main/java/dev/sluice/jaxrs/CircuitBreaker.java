package dev.sluice.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a resource method, or every resource method of a class, behind a circuit breaker configured
 * as {@code sluice.breaker.<name>.*}. While the breaker is open a request is answered 503 with
 * {@code Retry-After} (the time it stays open) and a problem body naming the breaker, without reaching
 * the method and before any {@link RateLimit} takes a token (the servlet filter's order); half-open,
 * a few probes go through and close it again if they succeed.
 *
 * <p>What counts as a failure is the breaker's {@code failures} setting: {@code 5xx} (the response's
 * status, including responses that exception mappers produce), {@code exceptions} (the method threw
 * something other than a {@code WebApplicationException}) and {@code timeouts} (its pool's timeout
 * passed). Requests refused before the method (by a rate limit, an authorization filter, a full
 * pool) are not counted.
 *
 * <p>A method's annotation replaces its class's; all the methods that name one breaker share it. An
 * unknown name stops deployment with a message naming {@code Class#method}, the attribute and the value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface CircuitBreaker {

    /** The breaker's name, as in {@code sluice.breaker.<name>.consecutive-failures}. */
    String value();
}
