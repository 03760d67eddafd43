package dev.sluice.servlet;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sluice.core.Breaker;
import dev.sluice.core.IsolationPool;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What must happen once when an admitted request ends, however it ends: give its permit back to a
 * {@code permits} pool and tell its circuit breakers how it went. For a request that went async,
 * it runs as an {@link AsyncListener} when the exchange completes.
 */
final class Completion implements AsyncListener {

    private final IsolationPool permitPool;
    private final List<Breaker> breakers;
    private final TimeMeter clock;
    private final long startNanos;
    private final AtomicBoolean done = new AtomicBoolean();
    private HttpServletRequest request;
    private HttpServletResponse response;

    Completion(IsolationPool permitPool, List<Breaker> breakers, TimeMeter clock) {
        this.permitPool = permitPool;
        this.breakers = breakers;
        this.clock = clock;
        this.startNanos = clock.currentTimeNanos();
    }

    /** Finishes now, or, if the request went async, when it completes. */
    void afterChain(HttpServletRequest request, HttpServletResponse response, Throwable failure) {
        listenTo(request, response);
        if (failure == null && request.isAsyncStarted()) {
            try {
                request.getAsyncContext().addListener(this);
                return;
            } catch (IllegalStateException alreadyCompleted) {
                // the exchange completed on another thread before the chain returned
            }
        }
        finish(request, response.getStatus(), failure);
    }

    /** The exchange whose end this completion waits for. */
    void listenTo(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    void finish(HttpServletRequest request, int status, Throwable failure) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        if (permitPool != null) {
            permitPool.release();
        }
        if (!breakers.isEmpty()) {
            Breaker.Outcome outcome = outcome(request, status, failure);
            long duration = clock.currentTimeNanos() - startNanos;
            for (Breaker breaker : breakers) {
                breaker.record(outcome, duration);
            }
        }
    }

    /** Gives back the breakers' permissions of a request answered before it ran; it never held a permit. */
    void cancel() {
        if (done.compareAndSet(false, true)) {
            breakers.forEach(Breaker::cancel);
        }
    }

    private static Breaker.Outcome outcome(HttpServletRequest request, int status, Throwable failure) {
        if (Boolean.TRUE.equals(request.getAttribute(IsolatingServlet.TIMED_OUT_ATTRIBUTE))) {
            return Breaker.Outcome.TIMEOUT;
        }
        if (failure != null || request.getAttribute(IsolatingServlet.FAILURE_ATTRIBUTE) != null) {
            return Breaker.Outcome.EXCEPTION;
        }
        return status >= 500 ? Breaker.Outcome.SERVER_ERROR : Breaker.Outcome.SUCCESS;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish(request, response.getStatus(), null);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // the container completes or errors the exchange next; onComplete or onError follows
    }

    @Override
    public void onError(AsyncEvent event) {
        finish(request, 500, event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) throws IOException {
        // the application started a new async cycle: stay registered for its end
        event.getAsyncContext().addListener(this);
    }
}
