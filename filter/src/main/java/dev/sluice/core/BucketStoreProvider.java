package dev.sluice.core;

import java.util.Map;
import java.util.Set;

import io.github.bucket4j.TimeMeter;

/**
 * A bucket store kept outside this JVM, for a value of {@code sluice.store} other than
 * {@code local}, with its own settings under {@code sluice.<name>.*}. The engine finds providers
 * with {@link java.util.ServiceLoader} (a {@code META-INF/services/dev.sluice.core.BucketStoreProvider}
 * entry), or by class name when {@code sluice.store} names a class, so it never links against a
 * grid library it does not use; Sluice's Hazelcast store is one such provider.
 *
 * <p>Settings: every key {@code sluice.<name>.<field>} belongs to the provider of that name, which
 * lists its {@link #fields()}; any other field under that prefix stops deployment as a likely
 * typo. The field {@code fault-mode} ({@code fail-open}, {@code fail-closed} or {@code local}, what
 * the engine answers while the store is unavailable) is the engine's and exists for every provider.
 * A provider's settings are validated whenever it is on the classpath, in use or not, so a file
 * switched to {@code sluice.store=local} keeps its settings checked.
 *
 * <p>A store it opens signals a grid that is slow or gone with {@link StoreUnavailableException},
 * never by blocking past its deadline; the engine decides what to answer meanwhile.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface BucketStoreProvider {

    /** The value of {@code sluice.store} this provider answers to, and its key prefix {@code sluice.<name>.}. */
    String name();

    /** The fields this provider reads under {@code sluice.<name>.}, {@code fault-mode} aside. */
    Set<String> fields();

    /**
     * Validates this provider's settings.
     *
     * @param fields the values of the provider's keys by field (the part after {@code sluice.<name>.}),
     *     trimmed, {@code fault-mode} excluded
     * @param inUse whether {@code sluice.store} names this provider, so settings that the chosen
     *     mode would ignore can be refused
     * @return the settings, as {@link #open} receives them; the engine only carries them
     * @throws ConfigurationException naming the key ({@code sluice.<name>.<field>}) and the value
     */
    Object configure(Map<String, String> fields, boolean inUse);

    /**
     * Opens the store; the engine closes it when it closes.
     *
     * @param settings what {@link #configure} returned
     * @param clock the engine's clock: the store must read bucket time from it
     * @param instance the application's own grid instance for a {@code provided} mode, or {@code null}
     * @throws ConfigurationException if the settings or the instance do not fit the store
     */
    BucketStore open(Object settings, TimeMeter clock, Object instance);
}
