package dev.sluice.core;

import java.util.List;
import java.util.StringJoiner;
import java.util.function.BiConsumer;

/**
 * Renders a {@link Verdict} as HTTP: the status, the headers and, for a refusal, the RFC 9457
 * problem body (type {@code quota-exceeded} for a 429, {@code temporary-reduced-capacity} for a
 * 503). Both entry points write their responses through this class, so they answer alike.
 *
 * <p>The IETF fields follow draft-ietf-httpapi-ratelimit-headers-10: {@code RateLimit-Policy} lists
 * {@code "<name>";q=<quota>;w=<window seconds>} and {@code RateLimit} lists
 * {@code "<name>";r=<remaining>;t=<seconds>}, one item per matching policy. On a refusal, the
 * refusing policies' {@code t} equals {@code Retry-After}, so the two never disagree.
 *
 * <p>Stateless and thread-safe.
 */
public final class RateLimitResponse {

    /** The status of a refusal by a rate limit. */
    public static final int TOO_MANY_REQUESTS = 429;

    /** The media type of the refusal body. */
    public static final String PROBLEM_JSON = "application/problem+json";

    /**
     * The status of a refusal for lack of capacity: a full pool, a pool timeout, an open breaker, or
     * a bucket store that is unavailable under the fail-closed fault mode.
     */
    public static final int SERVICE_UNAVAILABLE = 503;

    /**
     * The request attribute in which the servlet filter leaves an admitted request's verdict, so
     * that the JAX-RS feature, which writes the response's headers later and would replace the
     * filter's, reports both entry points' policies together.
     */
    public static final String VERDICT_ATTRIBUTE = "dev.sluice.verdict";

    static final String QUOTA_EXCEEDED = "https://iana.org/assignments/http-problem-types#quota-exceeded";
    static final String TEMPORARY_REDUCED_CAPACITY = "https://iana.org/assignments/http-problem-types#temporary-reduced-capacity";

    private RateLimitResponse() {
    }

    /** Passes each header of the verdict's response to {@code header}, {@code Retry-After} first on a refusal. */
    public static void headers(Verdict verdict, HeaderStyle style, BiConsumer<String, String> header) {
        if (!verdict.admitted()) {
            header.accept("Retry-After", Long.toString(verdict.retryAfterSeconds()));
        }
        if (!verdict.hasDecisions()) {
            return;
        }
        List<Decision> decisions = verdict.decisions();
        if (style.ietf()) {
            if (decisions.size() == 1) {
                Decision only = decisions.get(0);
                header.accept("RateLimit-Policy", only.policy().policyField());
                header.accept("RateLimit", stateItem(only));
            } else {
                StringJoiner policy = new StringJoiner(", ");
                StringJoiner state = new StringJoiner(", ");
                for (Decision decision : decisions) {
                    policy.add(decision.policy().policyField());
                    state.add(stateItem(decision));
                }
                header.accept("RateLimit-Policy", policy.toString());
                header.accept("RateLimit", state.toString());
            }
        }
        if (style.legacy()) {
            Decision binding = binding(verdict);
            header.accept("X-RateLimit-Limit", Long.toString(binding.quota()));
            header.accept("X-RateLimit-Remaining", Long.toString(binding.remaining()));
            header.accept("X-RateLimit-Reset", Long.toString(binding.resetSeconds()));
        }
    }

    /**
     * The status of a refusal: {@value #TOO_MANY_REQUESTS}, or {@value #SERVICE_UNAVAILABLE} when
     * the bucket store was unavailable.
     */
    public static int status(Verdict verdict) {
        return verdict.storeUnavailable() ? SERVICE_UNAVAILABLE : TOO_MANY_REQUESTS;
    }

    /** The problem+json body of a refusal. */
    public static String problemBody(Verdict verdict) {
        if (verdict.storeUnavailable()) {
            String detail = "Rate limits cannot be checked while the bucket store is unavailable; retry after "
                    + verdict.retryAfterSeconds() + (verdict.retryAfterSeconds() == 1 ? " second." : " seconds.");
            return ProblemJson.render(TEMPORARY_REDUCED_CAPACITY, "Service Unavailable", SERVICE_UNAVAILABLE, detail,
                    "unchecked-policies", verdict.uncheckedPolicies());
        }
        List<String> violated = verdict.violatedPolicies();
        String detail = "Rate limit exceeded for policy " + String.join(", ", violated)
                + "; retry after " + verdict.retryAfterSeconds()
                + (verdict.retryAfterSeconds() == 1 ? " second." : " seconds.");
        return ProblemJson.render(QUOTA_EXCEEDED, "Too Many Requests", TOO_MANY_REQUESTS, detail,
                "violated-policies", violated);
    }

    /** The problem+json body of a 503 from the isolation pool {@code pool}: {@code full} or {@code timed out}. */
    public static String poolBody(String pool, String what, long retryAfterSeconds) {
        return ProblemJson.render(TEMPORARY_REDUCED_CAPACITY, "Service Unavailable", SERVICE_UNAVAILABLE,
                "The " + pool + " pool " + what + "; retry after " + retryAfterSeconds + (retryAfterSeconds == 1 ? " second." : " seconds."),
                "pool", pool);
    }

    /** The problem+json body of a 503 from the open circuit breaker {@code breaker}. */
    public static String breakerBody(String breaker, long retryAfterSeconds) {
        return ProblemJson.render(TEMPORARY_REDUCED_CAPACITY, "Service Unavailable", SERVICE_UNAVAILABLE,
                "The " + breaker + " circuit breaker is open; retry after " + retryAfterSeconds
                        + (retryAfterSeconds == 1 ? " second." : " seconds."),
                "breaker", breaker);
    }

    /** A decision's item of the {@code RateLimit} field. */
    private static String stateItem(Decision decision) {
        return decision.policy().headerName() + ";r=" + decision.remaining() + ";t=" + decision.resetSeconds();
    }

    /** The decision the single-valued legacy headers describe: the longest refusal, else the fewest tokens left. */
    private static Decision binding(Verdict verdict) {
        Decision chosen = null;
        for (Decision decision : verdict.decisions()) {
            if (chosen == null) {
                chosen = decision;
            } else if (decision.refuses() != chosen.refuses()) {
                chosen = decision.refuses() ? decision : chosen;
            } else if (decision.refuses()
                    ? decision.retryAfterSeconds() > chosen.retryAfterSeconds()
                    : decision.remaining() < chosen.remaining()) {
                chosen = decision;
            }
        }
        return chosen;
    }
}
