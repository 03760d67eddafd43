package dev.sluice.servlet;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Map;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.Part;

/**
 * The request as the delegate of an {@link IsolatingServlet} sees it: not async until the delegate
 * starts async itself (the outer async context is Sluice's), and unreadable once the exchange has
 * ended, because the container may then reuse the underlying request for another client.
 */
final class GuardedRequest extends HttpServletRequestWrapper {

    private final IsolatedExchange exchange;
    private volatile InnerAsyncContext inner;

    GuardedRequest(HttpServletRequest request, IsolatedExchange exchange) {
        super(request);
        this.exchange = exchange;
    }

    @Override
    public boolean isAsyncStarted() {
        return inner != null;
    }

    @Override
    public boolean isAsyncSupported() {
        return true;
    }

    @Override
    public AsyncContext startAsync() {
        return startAsync(this, exchange.guardedResponse());
    }

    @Override
    public synchronized AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        exchange.checkOpen();
        if (inner == null) {
            inner = new InnerAsyncContext(exchange, request, response);
            exchange.delegateStartedAsync();
        }
        return inner;
    }

    @Override
    public AsyncContext getAsyncContext() {
        if (inner == null) {
            throw new IllegalStateException("the request is not async");
        }
        return inner;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        exchange.checkOpen();
        return super.getInputStream();
    }

    @Override
    public BufferedReader getReader() throws IOException {
        exchange.checkOpen();
        return super.getReader();
    }

    @Override
    public String getHeader(String name) {
        exchange.checkOpen();
        return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        exchange.checkOpen();
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        exchange.checkOpen();
        return super.getHeaderNames();
    }

    @Override
    public String getParameter(String name) {
        exchange.checkOpen();
        return super.getParameter(name);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        exchange.checkOpen();
        return super.getParameterMap();
    }

    @Override
    public String[] getParameterValues(String name) {
        exchange.checkOpen();
        return super.getParameterValues(name);
    }

    @Override
    public Object getAttribute(String name) {
        exchange.checkOpen();
        return super.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        exchange.checkOpen();
        super.setAttribute(name, value);
    }

    @Override
    public HttpSession getSession(boolean create) {
        exchange.checkOpen();
        return super.getSession(create);
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        exchange.checkOpen();
        return super.getParts();
    }
}
