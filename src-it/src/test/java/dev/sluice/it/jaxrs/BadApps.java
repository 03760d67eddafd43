package dev.sluice.it.jaxrs;

import java.util.Map;
import java.util.Set;

import org.glassfish.jersey.server.ManagedAsync;

import dev.sluice.jaxrs.CircuitBreaker;
import dev.sluice.jaxrs.Isolated;
import dev.sluice.jaxrs.SluiceFeature;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;

/** Applications whose isolation annotations cannot work: each must stop deployment. */
public final class BadApps {

    private BadApps() {
    }

    @Path("bad")
    public static final class UnknownPool {
        @GET
        @Isolated("nope")
        public String get() {
            return "never";
        }
    }

    @Path("bad")
    @CircuitBreaker("nope")
    public static final class UnknownBreaker {
        @GET
        public String get() {
            return "never";
        }
    }

    @Path("bad")
    @Isolated("work")
    public static final class OnWork {
        @GET
        public String get() {
            return "never";
        }
    }

    @Path("bad")
    public static final class Streaming {
        @GET
        @Isolated("work")
        @Produces(MediaType.SERVER_SENT_EVENTS)
        public void get(@Context SseEventSink sink) {
            sink.close();
        }
    }

    @Path("bad")
    public static final class Managed {
        @GET
        @Isolated("work")
        @ManagedAsync
        public String get() {
            return "never";
        }
    }

    public static final class UnknownPoolApp extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(SluiceFeature.class, UnknownPool.class);
        }
    }

    public static final class UnknownBreakerApp extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(SluiceFeature.class, UnknownBreaker.class);
        }
    }

    public static final class OnWorkApp extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(SluiceFeature.class, OnWork.class);
        }
    }

    /** Sluice's Jersey auto-discovery is off and only the feature is registered: no adapter. */
    public static final class WithoutAdapterApp extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(SluiceFeature.class, OnWork.class);
        }

        @Override
        public Map<String, Object> getProperties() {
            return Map.of(SluiceFeature.AUTO_DISCOVERY, "false");
        }
    }

    public static final class StreamingApp extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(SluiceFeature.class, Streaming.class);
        }
    }

    public static final class ManagedApp extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(SluiceFeature.class, Managed.class);
        }
    }
}
