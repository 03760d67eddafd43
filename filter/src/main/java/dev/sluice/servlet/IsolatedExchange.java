package dev.sluice.servlet;

import java.io.IOException;

import dev.sluice.core.IsolatedTask;
import dev.sluice.core.IsolationPool;
import dev.sluice.core.RateLimitResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One request run by {@link IsolatingServlet} on a {@code threads} pool: the servlet side of an
 * {@link IsolatedTask}, which decides who ends the exchange.
 *
 * <p>The request goes async on the container thread, which returns at once; a pool thread runs the
 * delegate against guarded wrappers. Exactly one party ends the exchange: the delegate (returning,
 * or completing the async context it started), the deadline, or the container reporting an error.
 * Sluice's 503s and every write to the response run under the task's guard, so once the deadline has
 * answered no late write reaches the client, and a request or response the container may already
 * have recycled is never touched.
 */
final class IsolatedExchange implements IsolatedTask.Exchange {

    private final Servlet delegate;
    private final IsolationPool pool;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final IsolatedTask task;
    private final CarriedContext context;
    private final GuardedRequest guardedRequest;
    private final GuardedResponse guardedResponse;
    private AsyncContext outer;
    private volatile boolean delegateWentAsync;

    IsolatedExchange(Servlet delegate, IsolationPool pool, HttpServletRequest request, HttpServletResponse response) {
        this.delegate = delegate;
        this.pool = pool;
        this.request = request;
        this.response = response;
        this.task = IsolatedTask.answeringUnderGuard(pool, this);
        this.context = CarriedContext.capture();
        this.guardedRequest = new GuardedRequest(request, this);
        this.guardedResponse = new GuardedResponse(response, this);
    }

    /** On the container thread: go async, then arm the deadline and hand the work to the pool. */
    void start() {
        request.setAttribute(IsolatingServlet.POOL_ATTRIBUTE, pool.name());
        outer = request.startAsync(request, response);
        outer.setTimeout(0);
        outer.addListener(new ContainerEvents());
        task.start();
    }

    /** On a pool thread: run the delegate with the request thread's class loader and MDC. */
    @Override
    public void work() {
        Throwable failure = null;
        CarriedContext.Installed installed = context.install();
        try {
            delegate.service(guardedRequest, guardedResponse);
        } catch (Exception | Error e) {
            failure = e;
        } finally {
            installed.close();
        }
        if (failure != null) {
            fail(failure);
        } else if (!delegateWentAsync) {
            complete();
        }
    }

    @Override
    public void skipped() {
        // the exchange has been answered already; nothing was taken for the work
    }

    @Override
    public void refused() {
        answer503("is full");
    }

    /** Under the guard, the work already interrupted. */
    @Override
    public void timedOut() {
        request.setAttribute(IsolatingServlet.TIMED_OUT_ATTRIBUTE, true);
        // A response already committed cannot become a 503: it ends here, truncated.
        answer503("timed out");
    }

    private void answer503(String what) {
        try {
            if (!response.isCommitted()) {
                response.reset();
                ProblemResponses.write(response, RateLimitResponse.SERVICE_UNAVAILABLE, pool.retryAfterSeconds(),
                        RateLimitResponse.poolBody(pool.name(), what, pool.retryAfterSeconds()));
            }
            outer.complete();
        } catch (IOException | RuntimeException e) {
            request.getServletContext().log("Sluice: could not answer a request that " + what + " on pool " + pool.name(), e);
        }
    }

    /** The delegate's request started async: its inner context now ends the exchange. */
    void delegateStartedAsync() {
        delegateWentAsync = true;
    }

    /** Ends the exchange normally; later calls and the deadline do nothing. */
    void complete() {
        task.end(() -> outer.complete());
    }

    /** Hands the exchange back to the container for a dispatch; later writes are dropped. */
    void dispatch(jakarta.servlet.ServletContext context, String path) {
        task.end(() -> {
            if (path == null) {
                outer.dispatch();
            } else if (context == null) {
                outer.dispatch(path);
            } else {
                outer.dispatch(context, path);
            }
        });
    }

    private void fail(Throwable failure) {
        task.end(() -> {
            request.setAttribute(IsolatingServlet.FAILURE_ATTRIBUTE, failure);
            request.getServletContext().log("Sluice: the delegate servlet failed on pool " + pool.name(), failure);
            if (!response.isCommitted()) {
                response.reset();
                response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            }
            outer.complete();
        });
    }

    /** Runs {@code write} unless the exchange has ended; returns whether it ran. */
    boolean whileOpen(IsolatedTask.GuardedAction write) throws IOException {
        return task.whileOpen(write);
    }

    /** Throws if the exchange has ended: the container may have recycled the request. */
    void checkOpen() {
        if (!task.isOpen()) {
            throw new IllegalStateException("the request has ended (timed out on pool " + pool.name() + ")");
        }
    }

    AsyncContext outer() {
        return outer;
    }

    IsolationPool pool() {
        return pool;
    }

    GuardedRequest guardedRequest() {
        return guardedRequest;
    }

    GuardedResponse guardedResponse() {
        return guardedResponse;
    }

    /** Errors the container reports on the outer context end the exchange too. */
    private final class ContainerEvents implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            task.end(() -> {
                // completed already: only later writes and the deadline are to be stopped
            });
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // the outer context has no container timeout; the pool's deadline governs
        }

        @Override
        public void onError(AsyncEvent event) {
            task.cancel(() -> outer.complete());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted by Sluice
        }
    }
}
