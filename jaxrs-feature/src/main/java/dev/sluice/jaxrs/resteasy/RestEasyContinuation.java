package dev.sluice.jaxrs.resteasy;

import dev.sluice.jaxrs.IsolatedCall;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.core.interception.jaxrs.SuspendableContainerRequestContext;
import org.jboss.resteasy.spi.HttpRequest;

/**
 * Moves the rest of one RESTEasy request: suspending marks the filter chain suspended and makes the
 * servlet request async right away (RESTEasy would only do it once the filter returns, too late for
 * an answer from another thread); proceeding resumes the chain on the calling thread. Sluice's own
 * answers go through RESTEasy's asynchronous response, which runs the response filters and answers
 * once, or, before the request is suspended, abort it in the filter.
 */
final class RestEasyContinuation implements IsolatedCall.Continuation {

    private final SuspendableContainerRequestContext request;
    private final HttpRequest httpRequest;

    RestEasyContinuation(SuspendableContainerRequestContext request, HttpRequest httpRequest) {
        this.request = request;
        this.httpRequest = httpRequest;
    }

    @Override
    public void suspend() {
        request.suspend();
        if (!httpRequest.getAsyncContext().isSuspended()) {
            httpRequest.getAsyncContext().suspend();
        }
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
}
