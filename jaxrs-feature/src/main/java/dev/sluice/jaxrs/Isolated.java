package dev.sluice.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a resource method, or every resource method of a class, on an isolation pool configured as
 * {@code sluice.pool.<name>.*}: executor isolation per class of resource, so that a flood of one class
 * (report queries) cannot take the threads another (payments) needs.
 *
 * <p>In a {@code threads} pool the method runs on the pool's threads ({@code sluice-<pool>-N}) and the
 * container thread is freed; the pool's timeout preempts it (one 503, the task interrupted, its late
 * answer dropped); a full pool answers 503 at once. In a {@code permits} pool the method runs on a
 * container thread, at most {@code threads} at once, and the rest wait suspended, holding no thread.
 * A request that already runs on a pool (an {@code IsolatingServlet} or the servlet filter's
 * permits) stays there and runs inline.
 *
 * <p>A method's annotation replaces its class's. The name is checked at deployment: an unknown pool,
 * or a JAX-RS implementation Sluice cannot move work on, stops deployment with a message naming
 * {@code Class#method}, the attribute and the value. Moving work needs an adapter per implementation:
 * Jersey and RESTEasy have one (see the README for what each costs).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Isolated {

    /** The pool's name, as in {@code sluice.pool.<name>.threads}. */
    String value();
}
