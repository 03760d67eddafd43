package dev.sluice.hazelcast;

import static java.util.Objects.requireNonNull;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;

import io.github.bucket4j.grid.hazelcast.HazelcastEntryProcessor;
import io.github.bucket4j.grid.hazelcast.HazelcastProxyManager;

/**
 * For applications that configure Hazelcast themselves: the application's own instance for
 * {@code sluice.hazelcast.mode=provided}, or the members of a standalone cluster that Sluice
 * clients connect to. Bucket4j sends its bucket operations as entry processors with their own
 * serializers, which every member and client of the cluster must register identically.
 *
 * <p>Stateless and thread-safe.
 */
public final class SluiceHazelcast {

    /**
     * The type id of the first of Bucket4j's four serializers; the other three follow it. In a
     * Hazelcast XML or YAML file, pass it as the system property
     * {@code bucket4j.hazelcast.serializer.type_id_base}.
     */
    public static final int SERIALIZER_TYPE_ID_BASE = 10_000;

    private SluiceHazelcast() {
    }

    /**
     * Registers Bucket4j's serializers with Sluice's type ids, unless serializers for Bucket4j's
     * types are registered already. Call it on the {@code Config} or {@code ClientConfig} of
     * every member and client before starting it.
     *
     * @return {@code config}
     */
    public static SerializationConfig registerSerializers(SerializationConfig config) {
        requireNonNull(config, "config");
        if (!hasSerializers(config)) {
            HazelcastProxyManager.addCustomSerializers(config, SERIALIZER_TYPE_ID_BASE);
        }
        return config;
    }

    /** Whether a serializer for Bucket4j's entry processor is registered, by class or by class name. */
    static boolean hasSerializers(SerializationConfig config) {
        for (SerializerConfig serializer : config.getSerializerConfigs()) {
            if (serializer.getTypeClass() == HazelcastEntryProcessor.class
                    || HazelcastEntryProcessor.class.getName().equals(serializer.getTypeClassName())) {
                return true;
            }
        }
        return false;
    }
}
