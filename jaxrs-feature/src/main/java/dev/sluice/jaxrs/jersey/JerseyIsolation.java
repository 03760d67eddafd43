package dev.sluice.jaxrs.jersey;

import java.lang.reflect.Type;

import dev.sluice.jaxrs.IsolationAdapter;
import dev.sluice.jaxrs.IsolationContext;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import org.glassfish.jersey.InjectionManagerProvider;
import org.glassfish.jersey.innate.inject.Bindings;
import org.glassfish.jersey.innate.inject.BlindBinder;
import org.glassfish.jersey.internal.inject.InjectionManager;
import org.glassfish.jersey.process.internal.RequestScoped;
import org.glassfish.jersey.server.spi.internal.ResourceMethodInvocationHandlerProvider;

/**
 * Lets Sluice run Jersey resource methods on isolation pools ({@code @Isolated}) and inject
 * {@link IsolationContext}. It binds an invocation handler for the isolated and guarded methods
 * (Jersey's {@code ResourceMethodInvocationHandlerProvider}) and leaves the adapter where the
 * feature finds it. {@link SluiceAutoDiscoverable} registers it with {@code SluiceFeature}; an
 * application that turns auto-discovery off registers both.
 *
 * <p>Stateless and thread-safe; Jersey creates one per application.
 */
@ConstrainedTo(RuntimeType.SERVER)
public final class JerseyIsolation implements Feature {

    /** Created by Jersey. */
    public JerseyIsolation() {
        // stateless
    }

    @Override
    public boolean configure(FeatureContext context) {
        InjectionManager injectionManager = InjectionManagerProvider.getInjectionManager(context);
        context.property(IsolationAdapter.PROPERTY, new JerseyAdapter(injectionManager));
        context.register(new BlindBinder() {
            @Override
            protected void configure() {
                bind(new IsolatingInvocationHandlers(injectionManager)).to(ResourceMethodInvocationHandlerProvider.class);
                bind(Bindings.supplier(new IsolationContexts(injectionManager))
                        .to((Type) IsolationContext.class)
                        .proxy(true)
                        .proxyForSameScope(false)
                        .in(RequestScoped.class));
            }
        });
        return true;
    }
}
