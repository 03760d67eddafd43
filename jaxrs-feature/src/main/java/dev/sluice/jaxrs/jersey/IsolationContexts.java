package dev.sluice.jaxrs.jersey;

import java.util.Optional;
import java.util.function.Supplier;

import dev.sluice.jaxrs.IsolationContext;
import dev.sluice.servlet.IsolatingServlet;
import org.glassfish.jersey.internal.inject.InjectionManager;
import org.glassfish.jersey.server.ContainerRequest;

/** Supplies the request-scoped {@link IsolationContext}: the pool named in the request's property. */
final class IsolationContexts implements Supplier<IsolationContext> {

    private final InjectionManager injectionManager;

    IsolationContexts(InjectionManager injectionManager) {
        this.injectionManager = injectionManager;
    }

    @Override
    public IsolationContext get() {
        ContainerRequest request = injectionManager.getInstance(ContainerRequest.class);
        return () -> Optional.ofNullable(request.getProperty(IsolatingServlet.POOL_ATTRIBUTE)).map(String::valueOf);
    }
}
