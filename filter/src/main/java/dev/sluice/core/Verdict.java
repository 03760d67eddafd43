package dev.sluice.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's answer for one request: admitted or refused, with every matching policy's
 * {@link Decision} for the response headers. A refusal is a value, never an exception.
 *
 * <p>Immutable and thread-safe.
 */
public final class Verdict {

    private static final Verdict UNLIMITED = new Verdict(List.of());

    private final List<Decision> decisions;
    private final boolean admitted;
    private final long retryAfterSeconds;

    private Verdict(List<Decision> decisions) {
        this.decisions = decisions;
        long retryAfter = 0;
        boolean refused = false;
        for (Decision decision : decisions) {
            if (decision.refuses()) {
                refused = true;
                retryAfter = Math.max(retryAfter, decision.retryAfterSeconds());
            }
        }
        this.admitted = !refused;
        this.retryAfterSeconds = retryAfter;
    }

    static Verdict of(List<Decision> decisions) {
        return decisions.isEmpty() ? UNLIMITED : new Verdict(List.copyOf(decisions));
    }

    /** The verdict for a request that no policy matches. */
    public static Verdict unlimited() {
        return UNLIMITED;
    }

    /**
     * This verdict followed by a later one for the same request, as one response reports them: a
     * filter's verdict and then a resource method's. Admitted only if both are.
     */
    public Verdict and(Verdict later) {
        if (later.decisions.isEmpty()) {
            return this;
        }
        if (decisions.isEmpty()) {
            return later;
        }
        List<Decision> all = new ArrayList<>(decisions);
        all.addAll(later.decisions);
        return new Verdict(List.copyOf(all));
    }

    /** Whether the request may proceed. */
    public boolean admitted() {
        return admitted;
    }

    /** One decision per matching policy, in policy order; empty if no policy matched. */
    public List<Decision> decisions() {
        return decisions;
    }

    /** For a refusal, the longest wait any refusing policy asks for, in whole seconds; else 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The names of the enforced policies that refused the request. */
    public List<String> violatedPolicies() {
        List<String> names = new ArrayList<>();
        for (Decision decision : decisions) {
            if (decision.refuses()) {
                names.add(decision.policy().name());
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return (admitted ? "admitted " : "refused ") + decisions;
    }
}
