package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import io.github.bucket4j.ConsumptionProbe;

/**
 * Decides whether a request may proceed under the policies that match it. Every policy must
 * admit the request; a request that one enforced policy refuses takes no token from the others.
 *
 * <p>How that holds without a lock across buckets: each matching policy's bucket is asked in turn
 * (one atomic Bucket4j take each); if any enforced policy refuses, the tokens taken from the others
 * are given back (Bucket4j {@code addTokens}, capped at capacity, so each bucket ends where it
 * would have been had the request never come). Between the take and the refund a concurrent
 * request may find one token fewer: Sluice can, for that instant, refuse a request that would have
 * fitted; it never admits one too many.
 *
 * <p>Thread-safe.
 */
public final class RateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final BucketStore store;

    /** A limiter over the given store. */
    public RateLimiter(BucketStore store) {
        this.store = requireNonNull(store, "store");
    }

    /** Asks every policy, in order, and returns the combined verdict. */
    public Verdict check(List<Policy> policies, RequestInfo request) {
        int count = policies.size();
        if (count == 0) {
            return Verdict.unlimited();
        }
        String[] keys = new String[count];
        ConsumptionProbe[] probes = new ConsumptionProbe[count];
        boolean refused = false;
        for (int i = 0; i < count; i++) {
            Policy policy = policies.get(i);
            keys[i] = policy.bucketKey(request);
            probes[i] = store.tryConsume(keys[i], policy, policy.cost());
            refused |= !probes[i].isConsumed() && policy.enforce();
        }
        List<Decision> decisions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Policy policy = policies.get(i);
            ConsumptionProbe probe = probes[i];
            if (probe.isConsumed()) {
                long remaining = probe.getRemainingTokens();
                if (refused) {
                    store.refund(keys[i], policy, policy.cost());
                    remaining = Math.min(remaining + policy.cost(), policy.quota());
                }
                decisions.add(new Decision(policy, true, remaining, seconds(probe.getNanosToWaitForReset()), 0));
            } else {
                long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
                decisions.add(new Decision(policy, false, probe.getRemainingTokens(), retryAfter, retryAfter));
            }
        }
        return Verdict.of(decisions);
    }

    /** Whole seconds, rounded up; the cost-above-capacity sentinel cannot occur (policies reject it). */
    private static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos - 1) / NANOS_PER_SECOND + 1;
    }
}
