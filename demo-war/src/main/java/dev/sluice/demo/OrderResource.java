package dev.sluice.demo;

import java.net.URI;
import java.sql.SQLException;

import dev.sluice.jaxrs.CircuitBreaker;
import dev.sluice.jaxrs.Isolated;
import dev.sluice.jaxrs.IsolationContext;
import dev.sluice.jaxrs.RateLimit;
import jakarta.servlet.ServletContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Orders, the critical path of the shop: each order is a payment. They run on the {@code payment}
 * pool's threads and use the payments' own database connections; a client (API key, else IP
 * address) may place 5 orders a minute across the whole cluster; the {@code payment} circuit breaker
 * refuses orders for 10 s after 3 consecutive timeouts (the pool's and the breaker's numbers are in
 * {@code sluice.properties}).
 */
@Path("orders")
@Produces(MediaType.APPLICATION_JSON)
@Isolated("payment")
public final class OrderResource {

    @Context
    private ServletContext servletContext;
    @Context
    private IsolationContext isolation;
    @Context
    private UriInfo uriInfo;

    /** Created by the JAX-RS runtime for each request. */
    public OrderResource() {
        // fields are injected
    }

    /**
     * Places an order: 201 with the order and its {@code Location}. {@code delayMs} stands for a
     * slow payment provider, called before the order is recorded.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RateLimit(value = "5/minute", name = "orders", key = "header:X-Api-Key,ip")
    @CircuitBreaker("payment")
    public Response create(@NotNull @Valid OrderRequest order,
            @QueryParam("delayMs") @DefaultValue("0") @Min(0) @Max(60_000) long delayMs)
            throws SQLException, InterruptedException {
        Thread.sleep(delayMs);
        Shop shop = Shop.of(servletContext);
        Shop.Order created = shop.createOrder(shop.connections(isolation), order);
        URI location = uriInfo.getAbsolutePathBuilder().path(created.id()).build();
        return Response.created(location).entity(created).build();
    }

    /** An order placed through this instance (each instance has its own database). */
    @GET
    @Path("{id}")
    @RateLimit(value = "120/minute", name = "order-lookups", key = "header:X-Api-Key,ip")
    public Response get(@PathParam("id") String id) throws SQLException {
        Shop shop = Shop.of(servletContext);
        return shop.order(shop.connections(isolation), id)
                .map(order -> Response.ok(order).build())
                .orElseGet(() -> Problems.of(Response.Status.NOT_FOUND, "No order " + id + " was placed on this instance."));
    }
}
