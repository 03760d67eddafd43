package dev.sluice.demo;

import java.sql.SQLException;
import java.util.List;

import dev.sluice.jaxrs.Isolated;
import dev.sluice.jaxrs.IsolationContext;
import dev.sluice.jaxrs.RateLimit;
import jakarta.servlet.ServletContext;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * The audit log, a non-critical query: it runs on the {@code shared} pool with the smaller shared
 * database pool, under a generous limit. {@code delayMs} makes it a slow query, to flood with.
 */
@Path("logs")
@Produces(MediaType.APPLICATION_JSON)
@Isolated("shared")
public final class LogResource {

    @Context
    private ServletContext servletContext;
    @Context
    private IsolationContext isolation;

    /** Created by the JAX-RS runtime for each request. */
    public LogResource() {
        // fields are injected
    }

    /** The latest audit lines, newest first. */
    @GET
    @RateLimit(value = "600/minute", name = "logs", key = "header:X-Api-Key,ip")
    public List<Shop.LogEntry> latest(@QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("delayMs") @DefaultValue("0") @Min(0) @Max(60_000) long delayMs)
            throws SQLException, InterruptedException {
        Shop shop = Shop.of(servletContext);
        return shop.latestLogs(shop.connections(isolation), limit, delayMs);
    }
}
