package dev.sluice.demo;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A request interrupted while it waits (a slow payment or query): Sluice interrupts a request that
 * ran out of its pool's time, and has already answered it with 503, so this answer is dropped.
 * Mapping it keeps Jersey from logging each such request as an unexpected failure.
 */
@Provider
public final class Interrupted implements ExceptionMapper<InterruptedException> {

    /** Created by the JAX-RS runtime. */
    public Interrupted() {
        // stateless
    }

    @Override
    public Response toResponse(InterruptedException exception) {
        // The interrupt has done its work, stopping the wait; the thread stays uninterrupted so that
        // this answer can be written (and dropped) like any other.
        return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "The request was interrupted.");
    }
}
