package dev.sluice.jaxrs.resteasy;

import dev.sluice.jaxrs.IsolatedCall;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.CompletionCallback;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.core.interception.jaxrs.SuspendableContainerRequestContext;
import org.jboss.resteasy.spi.HttpRequest;

/**
 * Moves the rest of one RESTEasy request: suspending marks the filter chain suspended and makes the
 * servlet request async right away (RESTEasy would only do it once the filter returns, too late for
 * an answer from another thread); proceeding resumes the chain on the calling thread. Sluice's own
 * answers go through RESTEasy's asynchronous response, which runs the response filters and answers
 * once, or, before the request is suspended, abort it in the filter.
 *
 * <p>A suspended call ends when RESTEasy's completion callback reports how it went (with the
 * exception the method threw, mapped or not), which RESTEasy runs on every delivery, failed ones
 * included; an exchange the servlet container ends in error (the client left) ends it too. The
 * exchange's normal completion does not: RESTEasy completes it before its callbacks run, and the
 * call would end without the exception.
 */
final class RestEasyContinuation implements IsolatedCall.Continuation {

    private final IsolatedCall call;
    private final SuspendableContainerRequestContext request;
    private final HttpRequest httpRequest;
    private final HttpServletRequest servletRequest;

    RestEasyContinuation(IsolatedCall call, SuspendableContainerRequestContext request, HttpRequest httpRequest,
            HttpServletRequest servletRequest) {
        this.call = call;
        this.request = request;
        this.httpRequest = httpRequest;
        this.servletRequest = servletRequest;
    }

    @Override
    public void suspend() {
        request.suspend();
        if (!httpRequest.getAsyncContext().isSuspended()) {
            httpRequest.getAsyncContext().suspend();
        }
        call.endsThroughAdapter();
        httpRequest.getAsyncContext().getAsyncResponse().register((CompletionCallback) call::ended);
        servletRequest.getAsyncContext().addListener(new ExchangeFailure());
    }

    /** Waits for the filter that suspended the request to return (RESTEasy holds its context's monitor), then runs the rest here. */
    @Override
    public void proceed() {
        request.resume();
    }

    @Override
    public void answer(Response response) {
        if (httpRequest.getAsyncContext().isSuspended()) {
            httpRequest.getAsyncContext().getAsyncResponse().resume(response);
        } else {
            request.abortWith(response);
        }
    }

    @Override
    public void abandon() {
        // RESTEasy holds nothing for a request that will not go on
    }

    /** Ends the call when the servlet exchange fails, which RESTEasy does not report. */
    private final class ExchangeFailure implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            // RESTEasy's completion callback ends the call, with what the method threw
        }

        @Override
        public void onError(AsyncEvent event) {
            call.ended(event.getThrowable());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // RESTEasy sets no servlet timeout; the pool's deadline answers
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // one async cycle only
        }
    }
}
