package dev.sluice.jaxrs.jersey;

import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sluice.jaxrs.IsolatedCall;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.TimeoutHandler;

/**
 * The {@code @Suspended AsyncResponse} an isolated Jersey method receives: it resumes (or cancels)
 * only if Sluice has not answered already, because Jersey's own check does not hold when two threads
 * resume at once. The pool's timeout governs: {@link #setTimeout} and {@link #setTimeoutHandler} are
 * ignored.
 */
final class GuardedAsyncResponse implements AsyncResponse {

    private final AsyncResponse delegate;
    private final IsolatedCall call;

    GuardedAsyncResponse(AsyncResponse delegate, IsolatedCall call) {
        this.delegate = delegate;
        this.call = call;
    }

    @Override
    public boolean resume(Object response) {
        return call.claim() && delegate.resume(response);
    }

    @Override
    public boolean resume(Throwable response) {
        call.methodFailed(response);
        return call.claim() && delegate.resume(response);
    }

    @Override
    public boolean cancel() {
        return call.claim() && delegate.cancel();
    }

    @Override
    public boolean cancel(int retryAfter) {
        return call.claim() && delegate.cancel(retryAfter);
    }

    @Override
    public boolean cancel(Date retryAfter) {
        return call.claim() && delegate.cancel(retryAfter);
    }

    @Override
    public boolean isSuspended() {
        return delegate.isSuspended();
    }

    @Override
    public boolean isCancelled() {
        return delegate.isCancelled();
    }

    @Override
    public boolean isDone() {
        return delegate.isDone();
    }

    /** Ignored: the pool's timeout governs. */
    @Override
    public boolean setTimeout(long time, TimeUnit unit) {
        return true;
    }

    /** Ignored: the pool's timeout governs, and Sluice answers it. */
    @Override
    public void setTimeoutHandler(TimeoutHandler handler) {
        // see the method comment
    }

    @Override
    public Collection<Class<?>> register(Class<?> callback) {
        return delegate.register(callback);
    }

    @Override
    public Map<Class<?>, Collection<Class<?>>> register(Class<?> callback, Class<?>... callbacks) {
        return delegate.register(callback, callbacks);
    }

    @Override
    public Collection<Class<?>> register(Object callback) {
        return delegate.register(callback);
    }

    @Override
    public Map<Class<?>, Collection<Class<?>>> register(Object callback, Object... callbacks) {
        return delegate.register(callback, callbacks);
    }
}
