package dev.sluice.jaxrs;

import java.util.Optional;

/**
 * What a running request can learn of its isolation, injected with {@code @Context}:
 * {@code @Context IsolationContext isolation; ... isolation.pool()}, for instance to pick a database
 * connection pool that matches. Works on Jersey and RESTEasy, in fields (also of singletons) and
 * parameters; the same name is in the request attribute and request property
 * {@code dev.sluice.pool} ({@code IsolatingServlet.POOL_ATTRIBUTE}).
 *
 * <p>Answers for the request being served when it is called, from any thread that serves it.
 */
public interface IsolationContext {

    /**
     * The pool the current request runs on, through {@link Isolated}, an {@code IsolatingServlet} or
     * the servlet filter's permits; empty if it runs on none.
     */
    Optional<String> pool();
}
