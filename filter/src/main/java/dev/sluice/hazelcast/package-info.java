/**
 * Cluster-wide buckets in a Hazelcast grid, through Bucket4j's Hazelcast integration: the store
 * behind {@code sluice.store=hazelcast}, which the engine opens through its
 * {@link dev.sluice.core.BucketStoreProvider} service, and {@link dev.sluice.hazelcast.SluiceHazelcast}
 * for applications that configure Hazelcast themselves. Hazelcast and Bucket4j's Hazelcast module
 * are optional dependencies: only this package may use them, and nothing outside it may refer to
 * it, so the engine and the servlet filter load without them.
 */
package dev.sluice.hazelcast;
