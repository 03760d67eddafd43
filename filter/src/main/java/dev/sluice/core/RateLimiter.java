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
 * <p>When the store is unavailable ({@link StoreUnavailableException}), the fault mode answers
 * instead: fail-open admits, fail-closed refuses with a {@link Verdict#storeUnavailable()} verdict,
 * local decides on this instance's own buckets. Tokens a failed request had already taken from
 * the store stay taken: refunding them would wait on the same failing store, and a lost token only
 * ever makes the limit stricter.
 *
 * <p>Thread-safe.
 */
public final class RateLimiter {

    private final BucketStore store;
    private final StoreFaults faults;

    /**
     * A limiter over the given store; while the store is unavailable it decides on local buckets
     * (at most 100000) timed by the system clock.
     */
    public RateLimiter(BucketStore store) {
        this(store, StoreFaults.of(FaultMode.LOCAL, SystemClock.wallClock(), 100_000));
    }

    RateLimiter(BucketStore store, StoreFaults faults) {
        this.store = requireNonNull(store, "store");
        this.faults = requireNonNull(faults, "faults");
    }

    /** Asks every policy, in order, and returns the combined verdict. */
    public Verdict check(List<Policy> policies, RequestInfo request) {
        if (policies.isEmpty()) {
            return Verdict.unlimited();
        }
        long attempt = faults.attempt();
        if (attempt != StoreFaults.SKIP) {
            try {
                Verdict verdict = check(store, policies, request, attempt);
                faults.succeeded(attempt);
                return verdict;
            } catch (StoreUnavailableException e) {
                faults.failed(attempt, e);
            }
        }
        return switch (faults.mode()) {
            case FAIL_OPEN -> {
                faults.admittedUnchecked();
                yield Verdict.unlimited();
            }
            case FAIL_CLOSED -> failClosed(policies);
            case LOCAL -> check(faults.fallback(), policies, request, attempt);
        };
    }

    /** Whether the store is believed available; {@code false} while a fault mode answers. */
    boolean storeAvailable() {
        return faults.available();
    }

    /** Requests admitted unchecked by the fail-open fault mode since the engine started. */
    long failOpenAdmissions() {
        return faults.failOpenAdmissions();
    }

    private Verdict check(BucketStore from, List<Policy> policies, RequestInfo request, long attempt) {
        int count = policies.size();
        if (count == 1) {
            // The usual case, kept free of the arrays the general case needs.
            Policy policy = policies.get(0);
            return Verdict.of(policy, from.tryConsume(policy.bucketKey(request), policy, policy.cost()));
        }
        String[] keys = new String[count];
        ConsumptionProbe[] probes = new ConsumptionProbe[count];
        boolean refused = false;
        for (int i = 0; i < count; i++) {
            Policy policy = policies.get(i);
            keys[i] = policy.bucketKey(request);
            probes[i] = from.tryConsume(keys[i], policy, policy.cost());
            refused |= !probes[i].isConsumed() && policy.enforce();
        }
        Decision[] decisions = new Decision[count];
        for (int i = 0; i < count; i++) {
            Policy policy = policies.get(i);
            boolean refund = refused && probes[i].isConsumed();
            if (refund) {
                refund(from, keys[i], policy, attempt);
            }
            decisions[i] = Verdict.decision(policy, probes[i], refund);
        }
        return Verdict.of(List.of(decisions));
    }

    /** A failed refund is reported, but the refusal it belongs to stands: the limit was reached either way. */
    private void refund(BucketStore from, String key, Policy policy, long attempt) {
        try {
            from.refund(key, policy, policy.cost());
        } catch (StoreUnavailableException e) {
            faults.failed(attempt, e);
        }
    }

    private static Verdict failClosed(List<Policy> policies) {
        List<String> unchecked = new ArrayList<>(policies.size());
        for (Policy policy : policies) {
            if (policy.enforce()) {
                unchecked.add(policy.name());
            }
        }
        return unchecked.isEmpty() ? Verdict.unlimited()
                : Verdict.unavailable(unchecked, StoreFaults.RETRY_INTERVAL_SECONDS);
    }
}
