package dev.sluice.core;

import java.util.ArrayList;
import java.util.List;

import io.github.bucket4j.ConsumptionProbe;

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
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** The one policy of a single-policy verdict, whose decision is built only when asked for; else null. */
    private final Policy policy;
    private final ConsumptionProbe probe;
    /** Built lazily for a single-policy verdict: racing threads build equal immutable lists. */
    private List<Decision> decisions;
    private final boolean admitted;
    private final long retryAfterSeconds;
    private final List<String> uncheckedPolicies;

    private Verdict(List<Decision> decisions) {
        this.policy = null;
        this.probe = null;
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

    private Verdict(Policy policy, ConsumptionProbe probe) {
        this.policy = policy;
        this.probe = probe;
        this.admitted = probe.isConsumed() || !policy.enforce();
        this.retryAfterSeconds = admitted ? 0 : retryAfter(probe);
        this.uncheckedPolicies = List.of();
    }

    private Verdict(List<String> uncheckedPolicies, long retryAfterSeconds) {
        this.policy = null;
        this.probe = null;
        this.decisions = List.of();
        this.admitted = false;
        this.retryAfterSeconds = retryAfterSeconds;
        this.uncheckedPolicies = uncheckedPolicies;
    }

    static Verdict of(List<Decision> decisions) {
        return decisions.isEmpty() ? UNLIMITED : new Verdict(List.copyOf(decisions));
    }

    /** The verdict of one policy, as its bucket answered: one object beyond Bucket4j's probe. */
    static Verdict of(Policy policy, ConsumptionProbe probe) {
        return new Verdict(policy, probe);
    }

    /**
     * What a probe says for a policy whose tokens were given back ({@code refunded}, because another
     * policy refused the request) or not.
     */
    static Decision decision(Policy policy, ConsumptionProbe probe, boolean refunded) {
        if (probe.isConsumed()) {
            long remaining = refunded ? Math.min(probe.getRemainingTokens() + policy.cost(), policy.quota()) : probe.getRemainingTokens();
            return new Decision(policy, true, remaining, seconds(probe.getNanosToWaitForReset()), 0);
        }
        long retryAfter = retryAfter(probe);
        return new Decision(policy, false, probe.getRemainingTokens(), retryAfter, retryAfter);
    }

    private static long retryAfter(ConsumptionProbe refused) {
        return Math.max(1, seconds(refused.getNanosToWaitForRefill()));
    }

    /** Whole seconds, rounded up; the cost-above-capacity sentinel cannot occur (policies reject it). */
    private static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos - 1) / NANOS_PER_SECOND + 1;
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
        if (!later.hasDecisions()) {
            return this;
        }
        if (!hasDecisions()) {
            return later;
        }
        List<Decision> all = new ArrayList<>(decisions());
        all.addAll(later.decisions());
        return new Verdict(List.copyOf(all));
    }

    /** Whether the request may proceed. */
    public boolean admitted() {
        return admitted;
    }

    /** One decision per matching policy, in policy order; empty if no policy matched. */
    public List<Decision> decisions() {
        List<Decision> built = decisions;
        if (built == null) {
            built = List.of(decision(policy, probe, false));
            decisions = built;
        }
        return built;
    }

    /** Whether any policy matched: {@code !decisions().isEmpty()} without building the decisions. */
    public boolean hasDecisions() {
        return policy != null || !decisions.isEmpty();
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
        for (Decision decision : decisions()) {
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
        return (admitted ? "admitted " : "refused ") + decisions();
    }
}
