package dev.sluice.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.sluice.core.RateLimitResponse;
import jakarta.servlet.http.HttpServletResponse;

/** Writes Sluice's own answers (429, 503) to a servlet response. */
final class ProblemResponses {

    private ProblemResponses() {
    }

    /** Writes a problem+json answer; the caller has set any other headers. */
    static void write(HttpServletResponse response, int status, long retryAfterSeconds, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        response.setContentType(RateLimitResponse.PROBLEM_JSON);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
