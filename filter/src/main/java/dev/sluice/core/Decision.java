package dev.sluice.core;

/**
 * What one policy said about one request.
 *
 * @param policy the policy
 * @param admitted whether its bucket had the tokens (a shadow policy may say no and still let the request pass)
 * @param remaining tokens left in the bucket after this request (the least over the policy's limits)
 * @param resetSeconds whole seconds, rounded up, until the bucket is full again; for a refusal, the
 *     same as {@code retryAfterSeconds}
 * @param retryAfterSeconds for a refusal, whole seconds (rounded up, at least 1) until enough
 *     tokens return; 0 when admitted
 */
public record Decision(Policy policy, boolean admitted, long remaining, long resetSeconds, long retryAfterSeconds) {

    /** The quota the headers report for this policy. */
    public long quota() {
        return policy.quota();
    }

    /** The window in seconds the headers report for this policy. */
    public long windowSeconds() {
        return policy.windowSeconds();
    }

    /** Whether this decision refuses the request: the bucket said no and the policy is enforced. */
    public boolean refuses() {
        return !admitted && policy.enforce();
    }
}
