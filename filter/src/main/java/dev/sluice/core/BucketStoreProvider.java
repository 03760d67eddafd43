package dev.sluice.core;

import io.github.bucket4j.TimeMeter;

/**
 * Opens a bucket store kept outside this JVM, for a value of {@code sluice.store} other than
 * {@code local}. The engine finds providers with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.sluice.core.BucketStoreProvider} entry), so it never links against a
 * grid library it does not use; Sluice's Hazelcast store is one such provider.
 *
 * <p>A store it opens signals a grid that is slow or gone with {@link StoreUnavailableException},
 * never by blocking past its deadline; the engine decides what to answer meanwhile.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface BucketStoreProvider {

    /** The value of {@code sluice.store} this provider answers to. */
    String name();

    /**
     * Opens the store; the engine closes it when it closes.
     *
     * @param config the engine's configuration
     * @param clock the engine's clock: the store must read bucket time from it
     * @param instance the application's own grid instance for a {@code provided} mode, or {@code null}
     * @throws ConfigurationException if the configuration or the instance does not fit the store
     */
    BucketStore open(SluiceConfig config, TimeMeter clock, Object instance);
}
