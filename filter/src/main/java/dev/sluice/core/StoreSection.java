package dev.sluice.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The store section: {@code sluice.store} and the {@code sluice.<provider>.*} keys of every
 * {@link BucketStoreProvider} on the classpath (and of the one {@code sluice.store} names by class),
 * each validated by its provider. Core knows no provider's keys but {@code fault-mode}.
 */
final class StoreSection {

    static final String LOCAL = "local";
    static final String FAULT_MODE = "fault-mode";

    private final String store;
    private final BucketStoreProvider provider;
    private final Map<String, Object> settings;
    private final FaultMode faultMode;

    private StoreSection(String store, BucketStoreProvider provider, Map<String, Object> settings, FaultMode faultMode) {
        this.store = store;
        this.provider = provider;
        this.settings = settings;
        this.faultMode = faultMode;
    }

    /** The providers that may own keys: those on the classpath, and the one {@code storeValue} names by class. */
    static Map<String, BucketStoreProvider> providers(String storeValue) {
        Map<String, BucketStoreProvider> providers = new TreeMap<>();
        for (BucketStoreProvider found : ServiceLoader.load(BucketStoreProvider.class, StoreSection.class.getClassLoader())) {
            add(providers, found);
        }
        if (storeValue != null && storeValue.trim().contains(".")) {
            BucketStoreProvider named;
            try {
                named = Instances.create(BucketStoreProvider.class, storeValue.trim());
            } catch (IllegalArgumentException | ServiceConfigurationError e) {
                throw new ConfigurationException(SluiceConfig.STORE, storeValue, e.getMessage());
            }
            if (!providers.containsKey(named.name()) || providers.get(named.name()).getClass() != named.getClass()) {
                add(providers, named);
            }
        }
        return providers;
    }

    private static void add(Map<String, BucketStoreProvider> providers, BucketStoreProvider provider) {
        String name = provider.name();
        if (name == null || !name.matches("[a-z][a-z0-9-]*") || SluiceConfig.RESERVED_NAMES.contains(name)) {
            throw new ConfigurationException("bucket store provider " + provider.getClass().getName() + " is named '"
                    + name + "', which cannot be a key prefix: expected lowercase letters, digits and -, other than "
                    + String.join(", ", new TreeSet<>(SluiceConfig.RESERVED_NAMES)));
        }
        BucketStoreProvider other = providers.putIfAbsent(name, provider);
        if (other != null && other.getClass() != provider.getClass()) {
            throw new ConfigurationException("bucket store providers " + other.getClass().getName() + " and "
                    + provider.getClass().getName() + " are both named '" + name + "'");
        }
    }

    /** The prefix of a provider's keys. */
    static String prefix(String providerName) {
        return "sluice." + providerName + ".";
    }

    /**
     * Validates the section.
     *
     * @param storeValue {@code sluice.store} as written, or {@code null} for the default
     * @param fields the fields under each provider's prefix, by provider name
     */
    static StoreSection parse(String storeValue, Map<String, BucketStoreProvider> providers,
            Map<String, Map<String, String>> fields) {
        String store = storeValue == null ? LOCAL : storeValue.trim();
        BucketStoreProvider chosen = null;
        if (store.contains(".")) {
            for (BucketStoreProvider candidate : providers.values()) {
                if (candidate.getClass().getName().equals(store)) {
                    chosen = candidate;
                }
            }
        } else {
            store = store.toLowerCase(Locale.ROOT);
            chosen = providers.get(store);
            if (chosen == null && !store.equals(LOCAL)) {
                List<String> known = new ArrayList<>(List.of(LOCAL));
                known.addAll(providers.keySet());
                throw new ConfigurationException(SluiceConfig.STORE, storeValue, "unknown store; expected "
                        + String.join(", ", known.subList(0, known.size() - 1)) + " or " + known.get(known.size() - 1)
                        + " (a bucket store provider on the classpath), or the class name of a provider");
            }
        }
        Map<String, Object> settings = new TreeMap<>();
        FaultMode faultMode = FaultMode.LOCAL;
        for (BucketStoreProvider candidate : providers.values()) {
            Map<String, String> own = new TreeMap<>(fields.getOrDefault(candidate.name(), Map.of()));
            String faultText = own.remove(FAULT_MODE);
            FaultMode mode;
            try {
                mode = faultText == null ? FaultMode.LOCAL : FaultMode.parse(faultText);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(prefix(candidate.name()) + FAULT_MODE, faultText, e.getMessage());
            }
            try {
                settings.put(candidate.name(), candidate.configure(own, candidate == chosen));
            } catch (ConfigurationException e) {
                if (!e.keys().isEmpty()) {
                    throw e;
                }
                throw ConfigurationException.about(own.keySet().stream().map(prefix(candidate.name())::concat).toList(),
                        e.getMessage());
            }
            if (candidate == chosen) {
                faultMode = mode;
            }
        }
        return new StoreSection(chosen == null ? LOCAL : chosen.name(), chosen, settings, faultMode);
    }

    /** The fields a provider accepts, {@code fault-mode} included. */
    static Set<String> fieldsOf(BucketStoreProvider provider) {
        Set<String> fields = new TreeSet<>(provider.fields());
        fields.add(FAULT_MODE);
        return fields;
    }

    /** {@code local} or the name of the provider in use. */
    String store() {
        return store;
    }

    /** The provider in use, or {@code null} for the local store. */
    BucketStoreProvider provider() {
        return provider;
    }

    /** What the provider in use made of its keys, or {@code null} for the local store. */
    Object settingsInUse() {
        return provider == null ? null : settings.get(provider.name());
    }

    /** What the provider of that name made of its keys, or {@code null} if no such provider is present. */
    Object settings(String providerName) {
        return settings.get(providerName);
    }

    FaultMode faultMode() {
        return faultMode;
    }
}
