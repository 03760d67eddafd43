package dev.sluice.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The async context the delegate of an {@link IsolatingServlet} gets when it starts async: ending
 * it ends the exchange; its timeout is the pool's and cannot be changed.
 */
final class InnerAsyncContext implements AsyncContext {

    private final IsolatedExchange exchange;
    private final ServletRequest request;
    private final ServletResponse response;

    InnerAsyncContext(IsolatedExchange exchange, ServletRequest request, ServletResponse response) {
        this.exchange = exchange;
        this.request = request;
        this.response = response;
    }

    @Override
    public ServletRequest getRequest() {
        return request;
    }

    @Override
    public ServletResponse getResponse() {
        return response;
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return request == exchange.guardedRequest() && response == exchange.guardedResponse();
    }

    @Override
    public void dispatch() {
        exchange.dispatch(null, null);
    }

    @Override
    public void dispatch(String path) {
        exchange.dispatch(null, path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        exchange.dispatch(context, path);
    }

    @Override
    public void complete() {
        exchange.complete();
    }

    @Override
    public void start(Runnable run) {
        if (!exchange.pool().execute(run)) {
            exchange.outer().start(run);
        }
    }

    @Override
    public void addListener(AsyncListener listener) {
        exchange.outer().addListener(listener, request, response);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
        exchange.outer().addListener(listener, servletRequest, servletResponse);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
        return exchange.outer().createListener(type);
    }

    /** The pool's timeout governs; the delegate cannot lengthen it. */
    @Override
    public void setTimeout(long timeout) {
        // ignored: see the class comment
    }

    @Override
    public long getTimeout() {
        return exchange.pool().timeout().toMillis();
    }
}
