package dev.sluice.servlet;

import java.io.IOException;

import dev.sluice.core.IsolationPool;
import dev.sluice.core.RateLimitResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A request waiting, async and without a thread, for a permit of a {@code permits} pool. When a
 * permit is handed to it, it is dispatched again (on a container thread) and runs; if it waits
 * longer than the pool's timeout, it is answered 503.
 *
 * <p>The permit can be handed over before the request has finished going async, so {@link #admit}
 * and {@link #attach} meet under this object's monitor and whichever comes second dispatches.
 */
final class ParkedRequest implements IsolationPool.Waiter, AsyncListener {

    private final IsolationPool pool;
    private final Completion completion;
    private AsyncContext async;
    private boolean admitted;

    ParkedRequest(IsolationPool pool, Completion completion) {
        this.pool = pool;
        this.completion = completion;
    }

    @Override
    public void admit() {
        AsyncContext ready;
        synchronized (this) {
            admitted = true;
            ready = async;
        }
        if (ready != null) {
            dispatch(ready);
        }
    }

    /** Called on the request thread once the request is async and this listener registered. */
    void attach(AsyncContext context) {
        boolean dispatchNow;
        synchronized (this) {
            async = context;
            dispatchNow = admitted;
        }
        if (dispatchNow) {
            dispatch(context);
        }
    }

    private void dispatch(AsyncContext context) {
        context.addListener(completion);
        context.dispatch();
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
        if (pool.abandon(this)) {
            completion.cancel();
            ProblemResponses.write((HttpServletResponse) event.getAsyncContext().getResponse(),
                    RateLimitResponse.SERVICE_UNAVAILABLE, pool.retryAfterSeconds(),
                    RateLimitResponse.poolBody(pool.name(), "had no free slot in time", pool.retryAfterSeconds()));
            event.getAsyncContext().complete();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // the dispatched request's end is the completion's business
    }

    @Override
    public void onError(AsyncEvent event) {
        if (pool.abandon(this)) {
            completion.cancel();
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // only the parking cycle concerns this listener
    }
}
