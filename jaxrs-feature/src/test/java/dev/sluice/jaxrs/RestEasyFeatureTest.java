package dev.sluice.jaxrs;

import jakarta.servlet.Servlet;
import org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher;

/** The feature's cases on RESTEasy 7. */
class RestEasyFeatureTest extends FeatureContract {

    @Override
    Class<? extends Servlet> runtime() {
        return HttpServletDispatcher.class;
    }
}
