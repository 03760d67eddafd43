package dev.sluice.servlet;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

import dev.sluice.core.IsolationPool;
import dev.sluice.core.RateLimitResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One request run by {@link IsolatingServlet} on a {@code threads} pool.
 *
 * <p>The request goes async on the container thread, which returns at once; a pool thread runs the
 * delegate against guarded wrappers. Exactly one party ends the exchange: the delegate (returning,
 * or completing the async context it started), or the deadline. The decision and every write to
 * the response happen under one lock, so once the deadline has answered 503 no late write reaches
 * the client, and a request or response the container may already have recycled is never touched.
 */
final class IsolatedExchange implements Runnable {

    private final Servlet delegate;
    private final IsolationPool pool;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ReentrantLock lock = new ReentrantLock();
    private final CarriedContext context;
    private final GuardedRequest guardedRequest;
    private final GuardedResponse guardedResponse;
    private AsyncContext outer;
    private ScheduledFuture<?> deadline;
    private Thread worker;
    private boolean finished;
    private boolean delegateWentAsync;

    IsolatedExchange(Servlet delegate, IsolationPool pool, HttpServletRequest request, HttpServletResponse response) {
        this.delegate = delegate;
        this.pool = pool;
        this.request = request;
        this.response = response;
        this.context = CarriedContext.capture();
        this.guardedRequest = new GuardedRequest(request, this);
        this.guardedResponse = new GuardedResponse(response, this);
    }

    /** On the container thread: go async, arm the deadline, hand the work to the pool. */
    void start() throws IOException {
        request.setAttribute(IsolatingServlet.POOL_ATTRIBUTE, pool.name());
        lock.lock();
        try {
            outer = request.startAsync(request, response);
            outer.setTimeout(0);
            outer.addListener(new ContainerEvents());
            deadline = pool.scheduleTimeout(this::timeOut);
            if (!pool.execute(this)) {
                claimEnd();
                ProblemResponses.write(response, RateLimitResponse.SERVICE_UNAVAILABLE, pool.retryAfterSeconds(),
                        RateLimitResponse.poolBody(pool.name(), "is full", pool.retryAfterSeconds()));
                outer.complete();
            }
        } finally {
            lock.unlock();
        }
    }

    /** On a pool thread: run the delegate with the request thread's class loader and MDC. */
    @Override
    public void run() {
        Thread thread = Thread.currentThread();
        lock.lock();
        try {
            if (finished) {
                return;
            }
            worker = thread;
        } finally {
            lock.unlock();
        }
        Throwable failure = null;
        CarriedContext.Installed installed = context.install();
        try {
            delegate.service(guardedRequest, guardedResponse);
        } catch (Exception | Error e) {
            failure = e;
        } finally {
            installed.close();
            lock.lock();
            try {
                worker = null;
            } finally {
                lock.unlock();
            }
            // an interrupt meant for this task must not leak into the pool thread's next task
            Thread.interrupted();
        }
        if (failure != null) {
            fail(failure);
        } else if (!delegateWentAsync()) {
            complete();
        }
    }

    private boolean delegateWentAsync() {
        lock.lock();
        try {
            return delegateWentAsync;
        } finally {
            lock.unlock();
        }
    }

    /** The delegate's request started async: its inner context now ends the exchange. */
    void delegateStartedAsync() {
        lock.lock();
        try {
            delegateWentAsync = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims the end of the exchange for the caller, who must hold the lock: {@code false} if it has
     * ended already, else it is now ended and the deadline disarmed.
     */
    private boolean claimEnd() {
        if (finished) {
            return false;
        }
        finished = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        return true;
    }

    /** Ends the exchange normally; later calls and the deadline do nothing. */
    void complete() {
        lock.lock();
        try {
            if (claimEnd()) {
                outer.complete();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Hands the exchange back to the container for a dispatch; later writes are dropped. */
    void dispatch(jakarta.servlet.ServletContext context, String path) {
        lock.lock();
        try {
            if (!claimEnd()) {
                return;
            }
            if (path == null) {
                outer.dispatch();
            } else if (context == null) {
                outer.dispatch(path);
            } else {
                outer.dispatch(context, path);
            }
        } finally {
            lock.unlock();
        }
    }

    private void fail(Throwable failure) {
        lock.lock();
        try {
            if (!claimEnd()) {
                return;
            }
            request.setAttribute(IsolatingServlet.FAILURE_ATTRIBUTE, failure);
            request.getServletContext().log("Sluice: the delegate servlet failed on pool " + pool.name(), failure);
            if (!response.isCommitted()) {
                response.reset();
                response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            }
            outer.complete();
        } finally {
            lock.unlock();
        }
    }

    /** On the timer thread at the deadline: answer 503 once, interrupt the task, drop what it writes later. */
    private void timeOut() {
        lock.lock();
        try {
            if (!claimEnd()) {
                return;
            }
            pool.countTimeout();
            request.setAttribute(IsolatingServlet.TIMED_OUT_ATTRIBUTE, true);
            if (worker != null) {
                worker.interrupt();
            }
            if (!response.isCommitted()) {
                response.reset();
                ProblemResponses.write(response, RateLimitResponse.SERVICE_UNAVAILABLE, pool.retryAfterSeconds(),
                        RateLimitResponse.poolBody(pool.name(), "timed out", pool.retryAfterSeconds()));
            }
            // A response already committed cannot become a 503: it ends here, truncated.
            outer.complete();
        } catch (IOException | RuntimeException e) {
            request.getServletContext().log("Sluice: could not answer a timed-out request on pool " + pool.name(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code write} unless the exchange has ended; returns whether it ran. */
    boolean whileOpen(IoAction write) throws IOException {
        lock.lock();
        try {
            if (finished) {
                return false;
            }
            write.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Throws if the exchange has ended: the container may have recycled the request. */
    void checkOpen() {
        lock.lock();
        try {
            if (finished) {
                throw new IllegalStateException("the request has ended (timed out on pool " + pool.name() + ")");
            }
        } finally {
            lock.unlock();
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

    /** A write to the response, run under the exchange's lock. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /** Errors the container reports on the outer context end the exchange too. */
    private final class ContainerEvents implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            lock.lock();
            try {
                claimEnd();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // the outer context has no container timeout; the pool's deadline governs
        }

        @Override
        public void onError(AsyncEvent event) {
            lock.lock();
            try {
                if (claimEnd()) {
                    if (worker != null) {
                        worker.interrupt();
                    }
                    outer.complete();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted by Sluice
        }
    }
}
