package dev.sluice.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's answer for one request: admitted or refused, with every matching policy's
 * {@link Decision} for the response headers. A refusal is a value, never an exception: either a
 * policy's limit was reached (429), or the bucket store was unavailable under the fail-closed
 * fault mode ({@link #storeUnavailable()}, 503).
 *
 * <p>Immutable and thread-safe.
 */
public final class Verdict {

    private static final Verdict UNLIMITED = new Verdict(List.of());

    private final List<Decision> decisions;
    private final boolean admitted;
    private final long retryAfterSeconds;
    private final List<String> uncheckedPolicies;

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
        this.uncheckedPolicies = List.of();
    }

    private Verdict(List<String> uncheckedPolicies, long retryAfterSeconds) {
        this.decisions = List.of();
        this.admitted = false;
        this.retryAfterSeconds = retryAfterSeconds;
        this.uncheckedPolicies = uncheckedPolicies;
    }

    static Verdict of(List<Decision> decisions) {
        return decisions.isEmpty() ? UNLIMITED : new Verdict(List.copyOf(decisions));
    }

    /** A refusal because the bucket store is unavailable and the fault mode is fail-closed. */
    static Verdict unavailable(List<String> uncheckedPolicies, long retryAfterSeconds) {
        return new Verdict(List.copyOf(uncheckedPolicies), retryAfterSeconds);
    }

    /** The verdict for a request that no policy matches. */
    public static Verdict unlimited() {
        return UNLIMITED;
    }

    /**
     * This verdict followed by a later one for the same request, as one response reports them: a
     * filter's verdict and then a resource method's. Admitted only if both are; a later refusal for
     * an unavailable store stands alone, as it has no decisions to add.
     */
    public Verdict and(Verdict later) {
        if (later.storeUnavailable()) {
            return later;
        }
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

    /**
     * Whether the request was refused because its limits could not be checked: the bucket store
     * was unavailable and the fault mode is fail-closed. Such a verdict has no decisions.
     */
    public boolean storeUnavailable() {
        return !uncheckedPolicies.isEmpty();
    }

    /** For a {@link #storeUnavailable()} refusal, the enforced policies that could not be checked; else empty. */
    public List<String> uncheckedPolicies() {
        return uncheckedPolicies;
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
        if (storeUnavailable()) {
            return "refused, store unavailable " + uncheckedPolicies;
        }
        return (admitted ? "admitted " : "refused ") + decisions;
    }
}
