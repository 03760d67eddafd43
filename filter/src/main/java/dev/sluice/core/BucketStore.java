package dev.sluice.core;

import io.github.bucket4j.ConsumptionProbe;

/**
 * Where buckets live: in this JVM ({@link LocalBucketStore}) or in a data grid. A bucket is found
 * by its policy's name and its key within that policy, and created on first use from the policy's
 * configuration; equal keys of two policies name two buckets. The engine never knows
 * which store it talks to; one contract test suite holds every implementation to the same
 * behaviour.
 *
 * <p>Limits can change while buckets live (a {@link LimitResolver}): a call whose policy has a
 * higher {@link Policy#configurationVersion()} than the bucket was built with replaces the bucket's
 * configuration first, keeping the tokens it holds (Bucket4j {@code replaceConfiguration} with
 * {@code TokensInheritanceStrategy.AS_IS}, or implicit replacement by that version); a call with a
 * lower version never downgrades it.
 *
 * <p>Implementations must be thread-safe and atomic per bucket: concurrent takes from one bucket
 * never admit more than it holds.
 */
public interface BucketStore extends AutoCloseable {

    /**
     * Takes {@code tokens} from the bucket if it holds that many, and reports what is left.
     *
     * @param key the bucket's key within the policy
     * @param policy the policy whose configuration creates the bucket when it is missing, or
     *     replaces the bucket's when its version is higher
     */
    ConsumptionProbe tryConsume(String key, Policy policy, long tokens);

    /**
     * Gives back tokens taken for a request that another policy refused; the bucket never ends
     * up above its capacity.
     */
    void refund(String key, Policy policy, long tokens);

    /** Releases what the store holds; a store started by Sluice stops its threads here. */
    @Override
    void close();
}
