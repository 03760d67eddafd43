package dev.sluice.jaxrs;

import static java.util.Objects.requireNonNull;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sluice.core.Breaker;
import dev.sluice.core.IsolatedTask;
import dev.sluice.core.IsolationPool;
import dev.sluice.core.PoolMode;
import dev.sluice.core.RateLimitResponse;
import dev.sluice.servlet.CarriedContext;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * One request to a resource method that Sluice isolates, from its request filter to its end: the
 * pool it runs on (if any), the circuit breaker it passed (if any), and the one decision of who
 * answers it — the resource method, or Sluice with a 503 when the pool is full or its timeout passes.
 * An {@link IsolationAdapter} moves the resource method with {@link #run}; the adapter answers with
 * the method's result only after {@link #claim()} allowed it, so a request is answered once.
 *
 * <p>On a {@code threads} pool the race between the method, the deadline and the application's
 * threads is the engine's {@link IsolatedTask}, answering its 503s after its guard is released,
 * since the runtime may call back into the call while it answers; this class adapts it to the
 * runtime's {@link Continuation}.
 *
 * <p>For adapters, not applications. Thread-safe: the request thread, a pool thread, the timeout
 * thread and the application's own threads meet here.
 */
public final class IsolatedCall {

    /** The request property that holds the call while the runtime processes the request. */
    public static final String PROPERTY = "dev.sluice.jaxrs.call";

    private static final System.Logger LOG = System.getLogger(IsolatedCall.class.getName());
    private static final Annotation[] NO_ANNOTATIONS = new Annotation[0];
    private static final MediaType PROBLEM_JSON = MediaType.valueOf(RateLimitResponse.PROBLEM_JSON);

    /**
     * How an adapter moves the rest of one request. Sluice calls {@link #suspend()} at most once, on
     * the request thread, and then {@link #proceed()} or {@link #abandon()} exactly once.
     */
    public interface Continuation {

        /**
         * Makes the request asynchronous, on the request thread: when this returns, the servlet
         * request has started async, the container thread can return, and the request can be
         * answered from any thread.
         */
        void suspend();

        /**
         * Runs the rest of the request on the calling thread: the resource method and, unless it
         * answers asynchronously, its answer (after {@link IsolatedCall#claim()}).
         */
        void proceed();

        /**
         * Answers the request with Sluice's own response (a 503), from any thread once suspended,
         * or on the request thread before.
         */
        void answer(Response response);

        /** The rest of the request will never run: let go of what {@link #proceed()} would have used. */
        void abandon();
    }

    private final IsolationPool pool;
    private final Breaker breaker;
    private final TimeMeter clock;
    private final long startNanos;
    private final HttpServletRequest servletRequest;
    /** The race of a call on a {@code threads} pool; {@code null} for any other. */
    private final IsolatedTask task;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean permitHeld = new AtomicBoolean();
    private final IsolationPool.Waiter waiter = this::admit;
    private volatile boolean endsThroughAdapter;
    private volatile Continuation continuation;
    private volatile CarriedContext context;
    /** Answered 503 before it ran under a permit: pool full, parked too long, or could not resume. */
    private volatile boolean refused;
    private volatile int status = -1;
    private volatile Throwable failure;
    /** A parked call's meeting of {@link #park} and {@link #admit}; the fields below are guarded by it. */
    private final Object parking = new Object();
    private AsyncContext servletAsync;
    private boolean admitted;
    private Future<?> parkedDeadline;

    IsolatedCall(IsolationPool pool, Breaker breaker, TimeMeter clock, HttpServletRequest servletRequest) {
        this.pool = pool;
        this.breaker = breaker;
        this.clock = clock;
        this.startNanos = clock.currentTimeNanos();
        this.servletRequest = servletRequest;
        this.task = pool != null && pool.mode() == PoolMode.THREADS ? IsolatedTask.answeringAfterGuard(pool, new OnPool()) : null;
    }

    /** The pool the request is to run on, or {@code null} if it runs where it is. */
    public IsolationPool pool() {
        return pool;
    }

    /**
     * Moves the rest of the request as the pool's mode says; call once, on the request thread. A
     * {@code threads} pool suspends the request and runs {@link Continuation#proceed()} on a pool
     * thread under the pool's deadline. A {@code permits} pool either lets the request go on here,
     * or suspends it until a permit frees and then proceeds on a container thread. A full pool
     * answers 503 through {@link Continuation#answer}.
     *
     * @return {@code true} if the request goes on inline, on the calling thread (no pool, or a free
     *     permit): the adapter runs the resource method itself, as if Sluice were not there, and the
     *     continuation has been {@link Continuation#abandon() abandoned}
     */
    public boolean run(Continuation continuation) {
        requireNonNull(continuation, "continuation");
        if (pool == null) {
            continuation.abandon();
            return true;
        }
        if (this.continuation != null) {
            throw new IllegalStateException("the call already runs");
        }
        this.context = CarriedContext.capture();
        this.continuation = continuation;
        if (task != null) {
            continuation.suspend();
            task.start();
            return false;
        }
        return runUnderPermit();
    }

    private boolean runUnderPermit() {
        if (servletRequest == null) {
            throw new IllegalStateException("pool " + pool.name() + " is in permits mode, which needs a servlet container");
        }
        switch (pool.enter(waiter)) {
            case RUN -> {
                permitHeld.set(true);
                continuation.abandon();
                return true;
            }
            case REJECTED -> {
                refused = true;
                continuation.answer(poolAnswer("is full"));
                continuation.abandon();
            }
            case PARKED -> park();
        }
        return false;
    }

    /** Waits, suspended and holding no thread, for {@link #admit}; whichever of the two comes second dispatches. */
    private void park() {
        continuation.suspend();
        AsyncContext async = servletRequest.getAsyncContext();
        boolean dispatchNow;
        synchronized (parking) {
            servletAsync = async;
            dispatchNow = admitted;
            if (!admitted) {
                parkedDeadline = pool.scheduleTimeout(this::parkedTooLong);
            }
        }
        if (dispatchNow) {
            dispatch(async);
        }
    }

    /** The pool handed this parked request a permit, on the thread that released it. */
    private void admit() {
        permitHeld.set(true);
        AsyncContext ready;
        synchronized (parking) {
            admitted = true;
            if (parkedDeadline != null) {
                parkedDeadline.cancel(false);
            }
            ready = servletAsync;
        }
        if (ready != null) {
            dispatch(ready);
        }
    }

    /** Proceeds on a container thread: the permit's holder must not run another request's work. */
    private void dispatch(AsyncContext async) {
        try {
            async.start(this::proceed);
        } catch (RuntimeException e) {
            // the exchange ended while it waited (the client left, the application stops)
            LOG.log(System.Logger.Level.WARNING, "Sluice: could not resume a request parked on pool " + pool.name(), e);
            refused = true;
            continuation.abandon();
            finish();
        }
    }

    private void parkedTooLong() {
        if (pool.abandon(waiter)) {
            refused = true;
            answerFromElsewhere("had no free slot in time");
            continuation.abandon();
        }
    }

    /** On the thread that runs the rest of the request, with the request thread's context. */
    private void proceed() {
        CarriedContext.Installed installed = context.install();
        try {
            continuation.proceed();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "Sluice: a request failed on pool " + pool.name(), e);
        } finally {
            installed.close();
        }
    }

    private void answerFromElsewhere(String what) {
        CarriedContext.Installed installed = context.install();
        try {
            continuation.answer(poolAnswer(what));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Sluice: could not answer a request that " + what + " on pool " + pool.name(), e);
        } finally {
            installed.close();
        }
    }

    /**
     * Asks to answer with the resource's result; the adapter calls it just before it answers (or
     * resumes) with that result, from any thread.
     *
     * @return {@code false} if Sluice has answered already (the pool's timeout passed): drop the result
     */
    public boolean claim() {
        return task != null ? task.claim() : !refused;
    }

    /**
     * Reports that the resource method threw, or its {@code CompletionStage} failed; a
     * {@code WebApplicationException} is an answer, not a failure, and counts by its status.
     */
    public void methodFailed(Throwable thrown) {
        if (!(thrown instanceof WebApplicationException)) {
            failure = thrown;
        }
    }

    /**
     * Tells the call that the adapter will report its end through {@link #ended}, however the request
     * ends (an exception that no mapper answers, a client that left); until then, or without it, the
     * response filter ends the call. Call it before the request can be answered.
     */
    public void endsThroughAdapter() {
        endsThroughAdapter = true;
    }

    /**
     * Reports that the runtime is done with the request: gives the permit back and tells the breaker,
     * once; later calls do nothing.
     *
     * @param thrown what the request ended with, if the runtime says, else {@code null}
     */
    public void ended(Throwable thrown) {
        if (thrown != null) {
            methodFailed(thrown);
        }
        finish();
    }

    /**
     * The response is about to be written, on the thread that writes it: a resource's response that
     * comes after the deadline answered becomes that 503 (the runtime may let the late one win the
     * race to its own writer; the client still sees the 503 only).
     */
    void responded(ContainerResponseContext response) {
        boolean timedOut = task != null && !task.claim() && task.timedOut();
        if (timedOut && task.runsHere()) {
            // the deadline interrupted the method, not the writing of the 503 that replaces its answer
            Thread.interrupted();
        }
        status = timedOut ? RateLimitResponse.SERVICE_UNAVAILABLE : response.getStatus();
        if (timedOut) {
            Response answer = poolAnswer("timed out");
            response.setStatus(answer.getStatus());
            response.getHeaders().clear();
            response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, answer.getHeaderString(HttpHeaders.RETRY_AFTER));
            response.setEntity(answer.getEntity(), NO_ANNOTATIONS, PROBLEM_JSON);
        }
        if (!endsThroughAdapter) {
            finish();
        }
    }

    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        if (permitHeld.getAndSet(false)) {
            pool.release();
        }
        if (breaker == null) {
            return;
        }
        if (refused || (task != null && task.refused())) {
            breaker.cancel();
        } else {
            breaker.record(outcome(task != null && task.timedOut(), status, failure), clock.currentTimeNanos() - startNanos);
        }
    }

    private static Breaker.Outcome outcome(boolean timedOut, int status, Throwable thrown) {
        if (timedOut) {
            return Breaker.Outcome.TIMEOUT;
        }
        if (thrown != null || status < 0) {
            // no status: the request ended with an exception that no mapper answered
            return Breaker.Outcome.EXCEPTION;
        }
        return status >= 500 ? Breaker.Outcome.SERVER_ERROR : Breaker.Outcome.SUCCESS;
    }

    private Response poolAnswer(String what) {
        long retryAfter = pool.retryAfterSeconds();
        return serviceUnavailable(retryAfter, RateLimitResponse.poolBody(pool.name(), what, retryAfter));
    }

    /** A 503 with {@code Retry-After} and a problem+json body, as the servlet entry point writes it. */
    static Response serviceUnavailable(long retryAfterSeconds, String body) {
        return Response.status(RateLimitResponse.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .type(PROBLEM_JSON)
                .entity(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** The call's side of its {@link IsolatedTask} on a {@code threads} pool. */
    private final class OnPool implements IsolatedTask.Exchange {
        @Override
        public void work() {
            proceed();
        }

        @Override
        public void skipped() {
            continuation.abandon();
        }

        @Override
        public void refused() {
            continuation.answer(poolAnswer("is full"));
        }

        @Override
        public void timedOut() {
            answerFromElsewhere("timed out");
        }
    }

    @Override
    public String toString() {
        return "IsolatedCall[" + (pool == null ? "inline" : pool.name()) + (breaker == null ? "" : ", " + breaker.name()) + "]";
    }
}
