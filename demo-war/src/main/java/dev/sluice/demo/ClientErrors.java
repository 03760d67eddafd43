package dev.sluice.demo;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Problem bodies for the client errors that Jersey raises without a body (a body that is not
 * {@code application/json}: 415; an unknown path: 404; a method the resource lacks: 405), which the
 * container would otherwise answer with its own HTML page. The status and headers ({@code Allow})
 * stay Jersey's; an error that already has a body is left as it is.
 */
@Provider
public final class ClientErrors implements ExceptionMapper<ClientErrorException> {

    /** Created by the JAX-RS runtime. */
    public ClientErrors() {
        // stateless
    }

    @Override
    public Response toResponse(ClientErrorException exception) {
        Response original = exception.getResponse();
        if (original.hasEntity()) {
            return original;
        }
        Response problem = Problems.of(original.getStatusInfo(), detail(original.getStatus()));
        return Response.fromResponse(original).type(problem.getMediaType()).entity(problem.getEntity()).build();
    }

    private static String detail(int status) {
        return switch (status) {
            case 404 -> "There is no such resource.";
            case 405 -> "The resource does not answer this method; see Allow.";
            case 406 -> "The resource answers application/json only.";
            case 415 -> "The body must be JSON, sent with Content-Type: application/json.";
            default -> "The request cannot be served as it is.";
        };
    }
}
