package dev.sluice.jaxrs.jersey;

import java.lang.reflect.Method;

import dev.sluice.jaxrs.IsolatedCall;
import dev.sluice.jaxrs.IsolationAdapter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Configuration;
import org.glassfish.jersey.internal.inject.InjectionManager;
import org.glassfish.jersey.server.CloseableService;
import org.glassfish.jersey.server.ManagedAsync;

/**
 * Jersey's side of isolation: the request filter leaves each call in the request, where
 * {@link IsolatingInvocationHandlers} picks it up when Jersey invokes the resource method; Jersey's
 * {@link CloseableService}, closed when Jersey is done with a request however it ended, ends it.
 */
final class JerseyAdapter implements IsolationAdapter {

    private final InjectionManager injectionManager;

    JerseyAdapter(InjectionManager injectionManager) {
        this.injectionManager = injectionManager;
    }

    @Override
    public boolean serves(Configuration configuration) {
        return configuration.getClass().getName().startsWith("org.glassfish.jersey.");
    }

    @Override
    public String unsupported(Method method, String servlet) {
        return method.isAnnotationPresent(ManagedAsync.class) || method.getDeclaringClass().isAnnotationPresent(ManagedAsync.class)
                ? "@ManagedAsync already moves the method to Jersey's executor; use one of the two" : null;
    }

    @Override
    public void attach(ContainerRequestContext request, IsolatedCall call) {
        call.endsThroughAdapter();
        injectionManager.getInstance(CloseableService.class).add(() -> call.ended(null));
    }
}
