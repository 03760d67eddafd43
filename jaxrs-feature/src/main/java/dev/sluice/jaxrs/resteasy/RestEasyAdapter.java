package dev.sluice.jaxrs.resteasy;

import java.lang.reflect.Method;

import dev.sluice.jaxrs.IsolatedCall;
import dev.sluice.jaxrs.IsolationAdapter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Configuration;
import org.jboss.resteasy.core.ResteasyContext;
import org.jboss.resteasy.core.interception.jaxrs.SuspendableContainerRequestContext;
import org.jboss.resteasy.plugins.server.servlet.Servlet3AsyncHttpRequest;
import org.jboss.resteasy.spi.HttpRequest;

/**
 * RESTEasy's side of isolation, found through {@link java.util.ServiceLoader}: RESTEasy lets a
 * request filter suspend the request ({@link SuspendableContainerRequestContext}) and resume it on
 * any thread, which then runs the remaining filters, the resource method and the answer. So Sluice's
 * filter hands the call over at once; every kind of method (plain, {@code Response}, {@code void},
 * {@code @Suspended AsyncResponse}, {@code CompletionStage}) is RESTEasy's own business from there,
 * and RESTEasy's asynchronous response answers once. A call that goes on inline ends in the response
 * filter; a suspended one when RESTEasy completes it. It needs the servlet 3 dispatcher, which really
 * frees the container thread of a suspended request.
 *
 * <p>Stateless and thread-safe.
 */
public final class RestEasyAdapter implements IsolationAdapter {

    private static final String SYNCHRONOUS_DISPATCHER = "org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher";

    /** RESTEasy's plain dispatcher only imitates async: it holds the container thread until the answer. */
    static final String SYNCHRONOUS_PROBLEM = "RESTEasy's " + SYNCHRONOUS_DISPATCHER + " holds the container thread while"
            + " a request is suspended, so nothing would be isolated; serve the application with"
            + " org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher (async-supported) or"
            + " resteasy-servlet-initializer, which uses it";

    /** Created by the service loader. */
    public RestEasyAdapter() {
        // stateless
    }

    @Override
    public boolean serves(Configuration configuration) {
        return configuration.getClass().getName().startsWith("org.jboss.resteasy.");
    }

    @Override
    public String unsupported(Method method, String servlet) {
        return SYNCHRONOUS_DISPATCHER.equals(servlet) ? SYNCHRONOUS_PROBLEM : null;
    }

    @Override
    public void attach(ContainerRequestContext request, IsolatedCall call) {
        if (call.pool() == null) {
            return;
        }
        HttpRequest httpRequest = ResteasyContext.getContextData(HttpRequest.class);
        if (!(httpRequest instanceof Servlet3AsyncHttpRequest)) {
            throw new IllegalStateException("Sluice cannot run " + request.getUriInfo().getPath() + " on pool "
                    + call.pool().name() + ": " + SYNCHRONOUS_PROBLEM);
        }
        call.run(new RestEasyContinuation(call, (SuspendableContainerRequestContext) request, httpRequest,
                ResteasyContext.getContextData(HttpServletRequest.class)));
    }
}
