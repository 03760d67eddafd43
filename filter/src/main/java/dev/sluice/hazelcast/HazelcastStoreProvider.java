package dev.sluice.hazelcast;

import java.util.Map;
import java.util.Set;

import dev.sluice.core.BucketStore;
import dev.sluice.core.BucketStoreProvider;
import dev.sluice.core.ConfigurationException;
import io.github.bucket4j.TimeMeter;

/**
 * Opens the Hazelcast bucket store for {@code sluice.store=hazelcast}, and owns the
 * {@code sluice.hazelcast.*} keys ({@link HazelcastSettings}). The engine finds it with
 * {@link java.util.ServiceLoader}; applications do not use it directly. It refers to no Hazelcast
 * type itself, so that a missing optional dependency is reported as such instead of as a
 * {@link NoClassDefFoundError}.
 *
 * <p>Stateless and thread-safe.
 */
public final class HazelcastStoreProvider implements BucketStoreProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public HazelcastStoreProvider() {
        // stateless
    }

    @Override
    public String name() {
        return "hazelcast";
    }

    @Override
    public Set<String> fields() {
        return HazelcastSettings.FIELDS;
    }

    @Override
    public Object configure(Map<String, String> fields, boolean inUse) {
        return HazelcastSettings.parse(fields, inUse);
    }

    @Override
    public BucketStore open(Object settings, TimeMeter clock, Object instance) {
        requireClass("com.hazelcast.core.HazelcastInstance", "com.hazelcast:hazelcast");
        requireClass("io.github.bucket4j.grid.hazelcast.Bucket4jHazelcast", "com.bucket4j:bucket4j_jdk17-hazelcast");
        return HazelcastBucketStore.open((HazelcastSettings) settings, clock, instance);
    }

    private static void requireClass(String className, String artifact) {
        try {
            Class.forName(className, false, HazelcastStoreProvider.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigurationException("sluice.store", "hazelcast",
                    "needs " + artifact + " on the classpath; Sluice declares it optional, so add it to your dependencies");
        }
    }
}
