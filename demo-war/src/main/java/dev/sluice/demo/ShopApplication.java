package dev.sluice.demo;

import java.util.Set;

import jakarta.ws.rs.core.Application;

/**
 * The shop's JAX-RS application, served by Jersey's servlet at {@code /api/*} (see {@code web.xml}).
 * Jersey finds Sluice's feature and its isolation adapter by itself (auto-discovery), like its JSON
 * and bean validation support.
 */
public final class ShopApplication extends Application {

    /** Created by the JAX-RS runtime. */
    public ShopApplication() {
        // the classes are listed below
    }

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(OrderResource.class, LogResource.class, StatusResource.class, InvalidRequests.class, Interrupted.class,
                JsonReading.class, BodyLimit.class, MalformedJson.NotJson.class, MalformedJson.Unreadable.class,
                MalformedJson.WrongShape.class, ClientErrors.class);
    }
}
