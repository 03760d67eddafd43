package dev.sluice.servlet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import dev.sluice.core.RequestInfo;
import jakarta.servlet.http.HttpServletRequest;

/** Shows the engine what it may read of a servlet request. */
final class ServletRequestInfo implements RequestInfo {

    private final HttpServletRequest request;

    ServletRequestInfo(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public List<String> headers(String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return List.of();
        }
        return Collections.list(values);
    }

    @Override
    public String principal() {
        Principal principal = request.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    /**
     * Reads the query string only: {@code getParameter} would also read a form body, consuming the
     * input the application expects to read itself.
     */
    @Override
    public String queryParameter(String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            if (decode(rawName).equals(name)) {
                return equals < 0 ? "" : decode(pair.substring(equals + 1));
            }
        }
        return null;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A malformed escape is the client's problem: use the text as sent.
            return text;
        }
    }
}
