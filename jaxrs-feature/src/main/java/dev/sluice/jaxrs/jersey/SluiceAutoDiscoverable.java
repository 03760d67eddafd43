package dev.sluice.jaxrs.jersey;

import dev.sluice.jaxrs.SluiceFeature;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.FeatureContext;
import org.glassfish.jersey.internal.spi.AutoDiscoverable;

/**
 * Registers {@link SluiceFeature} and {@link JerseyIsolation} in every Jersey application that has
 * Sluice on its class path, through Jersey's {@code AutoDiscoverable} service (other runtimes never
 * load this class). An application turns it off with the property
 * {@code sluice.jaxrs.auto-discovery=false}, or all of Jersey's auto-discovery with
 * {@code jersey.config.disableAutoDiscovery=true}.
 *
 * <p>Stateless and thread-safe.
 */
@Priority(AutoDiscoverable.DEFAULT_PRIORITY)
public final class SluiceAutoDiscoverable implements AutoDiscoverable {

    /** Created by Jersey's service lookup. */
    public SluiceAutoDiscoverable() {
        // stateless
    }

    @Override
    public void configure(FeatureContext context) {
        Object enabled = context.getConfiguration().getProperty(SluiceFeature.AUTO_DISCOVERY);
        if (enabled != null && "false".equalsIgnoreCase(enabled.toString().trim())) {
            return;
        }
        if (!context.getConfiguration().isRegistered(SluiceFeature.class)) {
            context.register(SluiceFeature.class);
        }
        if (!context.getConfiguration().isRegistered(JerseyIsolation.class)) {
            context.register(JerseyIsolation.class);
        }
    }
}
