package dev.sluice.jaxrs.jersey;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import dev.sluice.jaxrs.CircuitBreaker;
import dev.sluice.jaxrs.IsolatedCall;
import dev.sluice.jaxrs.Isolated;
import jakarta.ws.rs.container.Suspended;
import org.glassfish.jersey.internal.inject.InjectionManager;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.model.Invocable;
import org.glassfish.jersey.server.spi.internal.ResourceMethodInvocationHandlerProvider;

/**
 * Jersey's hook for moving a resource method: an invocation handler on each isolated or guarded
 * method (others keep Jersey's own). Per request it takes the {@link IsolatedCall} that Sluice's
 * filter left in the request: with a pool, the call suspends the request and a
 * {@link JerseyContinuation} runs the method elsewhere, so the handler returns {@code null} and
 * Jersey, seeing the request suspended, ignores that answer; without one (or under a free permit)
 * the method runs here, its failures reported to the breaker.
 *
 * <p>Thread-safe.
 */
final class IsolatingInvocationHandlers implements ResourceMethodInvocationHandlerProvider {

    private final InjectionManager injectionManager;

    IsolatingInvocationHandlers(InjectionManager injectionManager) {
        this.injectionManager = injectionManager;
    }

    @Override
    public InvocationHandler create(Invocable invocable) {
        Method method = invocable.getHandlingMethod();
        Class<?> type = invocable.getHandler().getHandlerClass();
        if (!type.isAnnotationPresent(Isolated.class) && !method.isAnnotationPresent(Isolated.class)
                && !type.isAnnotationPresent(CircuitBreaker.class) && !method.isAnnotationPresent(CircuitBreaker.class)) {
            return null;
        }
        int suspended = suspendedParameter(method);
        return (resource, invoked, args) -> {
            ContainerRequest request = injectionManager.getInstance(ContainerRequest.class);
            if (!(request.getProperty(IsolatedCall.PROPERTY) instanceof IsolatedCall call)) {
                return invoked.invoke(resource, args);
            }
            if (call.pool() != null
                    && !call.run(new JerseyContinuation(call, injectionManager, resource, invoked, args, suspended))) {
                return null;
            }
            try {
                return invoked.invoke(resource, args);
            } catch (InvocationTargetException e) {
                call.methodFailed(e.getCause());
                throw e;
            }
        };
    }

    /** The index of the {@code @Suspended AsyncResponse} parameter, or -1. */
    private static int suspendedParameter(Method method) {
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < annotations.length; i++) {
            for (Annotation annotation : annotations[i]) {
                if (annotation instanceof Suspended) {
                    return i;
                }
            }
        }
        return -1;
    }
}
