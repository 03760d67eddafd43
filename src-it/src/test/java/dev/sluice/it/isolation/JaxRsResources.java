package dev.sluice.it.isolation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.glassfish.jersey.server.ResourceConfig;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;

/** A Jersey application with the three kinds of resource method, each answering with the thread it ran on. */
public final class JaxRsResources extends ResourceConfig {

    private static final ExecutorService ASYNC = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-async");
        thread.setDaemon(true);
        return thread;
    });

    public JaxRsResources() {
        register(Kinds.class);
    }

    @Path("kinds")
    public static final class Kinds {
        @GET
        @Path("sync")
        public String sync() {
            return Thread.currentThread().getName();
        }

        @GET
        @Path("suspended")
        public void suspended(@Suspended AsyncResponse response) {
            String thread = Thread.currentThread().getName();
            ASYNC.execute(() -> response.resume(thread));
        }

        @GET
        @Path("stage")
        public CompletionStage<String> stage() {
            String thread = Thread.currentThread().getName();
            return CompletableFuture.supplyAsync(() -> thread, ASYNC);
        }
    }
}
