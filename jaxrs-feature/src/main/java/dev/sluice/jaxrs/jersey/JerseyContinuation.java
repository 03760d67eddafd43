package dev.sluice.jaxrs.jersey;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sluice.jaxrs.IsolatedCall;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.internal.inject.InjectionManager;
import org.glassfish.jersey.process.internal.RequestContext;
import org.glassfish.jersey.process.internal.RequestScope;
import org.glassfish.jersey.server.AsyncContext;

/**
 * Runs one Jersey resource method away from the request thread. Made on the request thread, it
 * holds a reference to the request scope, so the method sees its request-scoped objects (and a
 * singleton's {@code @Context} proxies resolve) on the thread that runs it; it answers through
 * Jersey's {@link AsyncContext}, and only after {@link IsolatedCall#claim()}, so a result that comes
 * after Sluice's 503 is dropped. What the method returns decides the answer as Jersey's own
 * dispatch would: a {@link Response} as is, {@code null} or {@code void} as 204, a
 * {@link CompletionStage} when it completes, and for a {@code @Suspended AsyncResponse} nothing —
 * the method resumes a guarded {@link GuardedAsyncResponse} itself.
 */
final class JerseyContinuation implements IsolatedCall.Continuation {

    private final IsolatedCall call;
    private final AsyncContext async;
    private final RequestScope scope;
    private final RequestContext requestContext;
    private final Object resource;
    private final Method method;
    private final Object[] args;
    private final int suspended;
    private final AtomicBoolean released = new AtomicBoolean();

    JerseyContinuation(IsolatedCall call, InjectionManager injectionManager, Object resource, Method method, Object[] args,
            int suspended) {
        this.call = call;
        this.async = injectionManager.getInstance(AsyncContext.class);
        this.scope = injectionManager.getInstance(RequestScope.class);
        this.requestContext = scope.referenceCurrent();
        this.resource = resource;
        this.method = method;
        this.args = args;
        this.suspended = suspended;
    }

    @Override
    public void suspend() {
        if (!async.isSuspended() && !async.suspend()) {
            throw new IllegalStateException("Jersey could not suspend the request to " + method);
        }
    }

    @Override
    public void proceed() {
        try {
            scope.runInScope(requestContext, this::invoke);
        } finally {
            abandon();
        }
    }

    private void invoke() {
        Object[] actual = args;
        if (suspended >= 0) {
            actual = args.clone();
            actual[suspended] = new GuardedAsyncResponse(async, call);
        }
        Object result;
        try {
            result = method.invoke(resource, actual);
        } catch (InvocationTargetException e) {
            fail(e.getCause());
            return;
        } catch (IllegalAccessException | IllegalArgumentException e) {
            fail(new ProcessingException("Sluice could not invoke " + method, e));
            return;
        }
        if (suspended >= 0) {
            return;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, thrown) -> {
                if (thrown == null) {
                    succeed(value);
                } else {
                    fail(thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown);
                }
            });
            return;
        }
        succeed(result);
    }

    private void succeed(Object result) {
        if (call.claim()) {
            async.resume(result == null ? Response.noContent().build() : result);
        }
    }

    private void fail(Throwable thrown) {
        call.methodFailed(thrown);
        if (call.claim()) {
            async.resume(thrown);
        }
    }

    @Override
    public void answer(Response response) {
        suspend();
        async.resume(response);
    }

    @Override
    public void abandon() {
        if (released.compareAndSet(false, true)) {
            requestContext.release();
        }
    }
}
