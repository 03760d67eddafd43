package dev.sluice.jaxrs.resteasy;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Optional;

import dev.sluice.jaxrs.IsolationContext;
import dev.sluice.servlet.IsolatingServlet;
import org.jboss.resteasy.core.ResteasyContext;
import org.jboss.resteasy.spi.ContextInjector;
import org.jboss.resteasy.spi.HttpRequest;

/**
 * Makes {@link IsolationContext} injectable with {@code @Context} on RESTEasy, which registers it
 * from {@code META-INF/services/jakarta.ws.rs.ext.Providers} (unless
 * {@code resteasy.use.builtin.providers=false}). The context it injects reads the request RESTEasy
 * is serving on the calling thread. It carries no {@code @Provider}: containers that scan a WAR for
 * Jersey's initializer (Jetty with annotations) load every {@code @Provider} class of its jars, and
 * this one cannot load where RESTEasy is absent.
 *
 * <p>Stateless and thread-safe.
 */
public final class IsolationContextInjector implements ContextInjector<IsolationContext, IsolationContext> {

    private static final IsolationContext CURRENT = () -> {
        HttpRequest request = ResteasyContext.getContextData(HttpRequest.class);
        Object pool = request == null ? null : request.getAttribute(IsolatingServlet.POOL_ATTRIBUTE);
        return Optional.ofNullable(pool).map(String::valueOf);
    };

    /** Created by RESTEasy. */
    public IsolationContextInjector() {
        // stateless
    }

    @Override
    public IsolationContext resolve(Class<? extends IsolationContext> rawType, Type genericType, Annotation[] annotations) {
        return CURRENT;
    }
}
