package dev.sluice.jaxrs;

import jakarta.servlet.Servlet;
import org.glassfish.jersey.servlet.ServletContainer;

/** The feature's cases on Jersey 4. */
class JerseyFeatureTest extends FeatureContract {

    @Override
    Class<? extends Servlet> runtime() {
        return ServletContainer.class;
    }
}
