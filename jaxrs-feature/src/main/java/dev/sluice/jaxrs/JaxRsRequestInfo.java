package dev.sluice.jaxrs;

import java.security.Principal;
import java.util.List;

import dev.sluice.core.RequestInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Shows the engine what it may read of a JAX-RS request. Standard JAX-RS has no client address, so
 * {@code ip} keys read it from the servlet request when there is one; parameters are read only when
 * a key asks for them.
 */
final class JaxRsRequestInfo implements RequestInfo {

    private final ContainerRequestContext request;
    private final HttpServletRequest servletRequest;

    JaxRsRequestInfo(ContainerRequestContext request, HttpServletRequest servletRequest) {
        this.request = request;
        this.servletRequest = servletRequest;
    }

    /** The socket peer's address; empty outside a servlet container, which makes {@code ip} keys fall through. */
    @Override
    public String remoteAddress() {
        return servletRequest == null ? "" : servletRequest.getRemoteAddr();
    }

    @Override
    public String header(String name) {
        List<String> values = request.getHeaders().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<String> headers(String name) {
        List<String> values = request.getHeaders().get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public String principal() {
        SecurityContext security = request.getSecurityContext();
        Principal principal = security == null ? null : security.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    @Override
    public String queryParameter(String name) {
        return request.getUriInfo().getQueryParameters().getFirst(name);
    }

    @Override
    public String pathParameter(String name) {
        return request.getUriInfo().getPathParameters().getFirst(name);
    }
}
