package dev.sluice.core;

import java.util.Map;
import java.util.Set;

import io.github.bucket4j.TimeMeter;

/**
 * A third bucket store, plugged in as a user's would be (a service entry in the test class path),
 * with its own keys: {@code sluice.teststore.max-keys} (a positive number, default 10) and
 * {@code sluice.teststore.label} (required when in use). It opens a local store of that size and
 * counts how often it was opened.
 */
public final class TestStoreProvider implements BucketStoreProvider {

    /** What {@link #configure} made of the keys. */
    record Settings(long maxKeys, String label) {
    }

    /** Called by {@link java.util.ServiceLoader}. */
    public TestStoreProvider() {
    }

    @Override
    public String name() {
        return "teststore";
    }

    @Override
    public Set<String> fields() {
        return Set.of("max-keys", "label");
    }

    @Override
    public Object configure(Map<String, String> fields, boolean inUse) {
        long maxKeys = fields.containsKey("max-keys")
                ? ConfigValues.positiveLong("sluice.teststore.max-keys", fields.get("max-keys")) : 10;
        String label = fields.get("label");
        if (inUse && label == null) {
            throw new ConfigurationException("the test store needs a label: set sluice.teststore.label");
        }
        return new Settings(maxKeys, label);
    }

    @Override
    public BucketStore open(Object settings, TimeMeter clock, Object instance) {
        return LocalBucketStore.create(((Settings) settings).maxKeys(), clock);
    }
}
