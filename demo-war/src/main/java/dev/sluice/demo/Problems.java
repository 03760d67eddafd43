package dev.sluice.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/** The shop's own error responses, as RFC 9457 {@code application/problem+json} bodies, like Sluice's. */
final class Problems {

    private static final String MEDIA_TYPE = "application/problem+json";
    private static final int UNPROCESSABLE_CONTENT = 422;
    private static final String INVALID_REQUEST = "https://sluice.dev/demo/problems/invalid-request";

    private Problems() {
    }

    /** A problem that the status says all about ({@code about:blank}). */
    static Response of(Response.StatusType status, String detail) {
        return response(status.getStatusCode(), problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail));
    }

    /** A field of the request and what is wrong with it. */
    record Violation(String field, String message) {
    }

    /** A 422 listing each invalid field with what is wrong with it. */
    static Response invalid(String detail, List<Violation> violations) {
        Map<String, Object> body = problem(INVALID_REQUEST, "Unprocessable Content", UNPROCESSABLE_CONTENT, detail);
        body.put("violations", violations);
        return response(UNPROCESSABLE_CONTENT, body);
    }

    private static Map<String, Object> problem(String type, String title, int status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }

    private static Response response(int status, Map<String, Object> body) {
        return Response.status(status).type(MEDIA_TYPE).entity(body).build();
    }
}
