package dev.sluice.hazelcast;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import com.hazelcast.client.config.YamlClientConfigBuilder;
import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.config.YamlConfigBuilder;

import dev.sluice.core.ConfigurationException;

/**
 * Builds the Hazelcast configuration of a member or client that Sluice starts: from the
 * {@code sluice.hazelcast.*} keys, or from the user's own file. Either way it adds what the
 * buckets need (Bucket4j's serializers, the bucket map with one backup and bounded by
 * {@code sluice.hazelcast.max-keys} per member) and Sluice's defaults
 * (phone-home off, no shutdown hook: the web application owns the lifecycle; a member handles
 * answers on its I/O threads), leaving alone whatever a user's file sets explicitly.
 */
final class HazelcastConfigs {

    private static final String CONFIG_KEY = "sluice.hazelcast.config";
    private static final String MAX_KEYS_KEY = "sluice.hazelcast.max-keys";
    private static final int BACKUP_COUNT = 1;
    /** The bucket map's bound per member when {@code sluice.hazelcast.max-keys} is not set, as the local store's. */
    static final int DEFAULT_MAX_KEYS = 100_000;
    static final String RESPONSE_THREADS = "hazelcast.operation.response.thread.count";

    private HazelcastConfigs() {
    }

    /** The configuration of an embedded member. */
    static Config member(HazelcastSettings settings) {
        Config config = settings.configLocation().map(HazelcastConfigs::loadMember)
                .orElseGet(() -> inlineMember(settings));
        setIfAbsent(config.getProperties(), "hazelcast.phone.home.enabled", "false");
        setIfAbsent(config.getProperties(), "hazelcast.shutdownhook.enabled", "false");
        // A member that cannot hand its partitions over must not hold up the web application's stop for Hazelcast's 10 minutes.
        setIfAbsent(config.getProperties(), "hazelcast.graceful.shutdown.max.wait", "30");
        // Answers (and backup acknowledgements) are handled on the I/O thread that reads them instead of being handed to a
        // response thread: completing one only wakes the caller waiting on it, so the hand-over would cost more than it saves.
        setIfAbsent(config.getProperties(), RESPONSE_THREADS, "0");
        SluiceHazelcast.registerSerializers(config.getSerializationConfig());
        configureBucketMap(config, settings);
        return config;
    }

    /**
     * Gives the bucket map one backup and Hazelcast's least-recently-used eviction beyond
     * {@code max-keys} entries per member, unless the user's file configures that map: then its
     * backups are left as they are, and so is its eviction if it has one.
     */
    private static void configureBucketMap(Config config, HazelcastSettings settings) {
        String name = settings.map();
        int maxKeys = settings.maxKeys().orElse(DEFAULT_MAX_KEYS);
        MapConfig fromFile = config.getMapConfigOrNull(name);
        if (fromFile == null) {
            config.addMapConfig(new MapConfig(name).setBackupCount(BACKUP_COUNT).setEvictionConfig(eviction(maxKeys)));
            return;
        }
        if (fromFile.getEvictionConfig().getEvictionPolicy() != EvictionPolicy.NONE) {
            if (settings.maxKeys().isPresent()) {
                throw new ConfigurationException(MAX_KEYS_KEY, Integer.toString(maxKeys), "conflicts with the eviction that "
                        + CONFIG_KEY + "=" + settings.configLocation().orElseThrow() + " configures for the map " + name
                        + "; set its size in that Hazelcast file instead");
            }
            return;
        }
        // The file's entry may be a wildcard that other maps share: only the bucket map gets Sluice's bound.
        MapConfig bucketMap = name.equals(fromFile.getName()) ? fromFile : new MapConfig(fromFile).setName(name);
        config.addMapConfig(bucketMap.setEvictionConfig(eviction(maxKeys)));
    }

    /**
     * Hazelcast approximates a per-member size per partition: a partition holds at most
     * {@code max(1, maxKeys * dataMembers / partitionCount)} entries, and a write beyond that evicts
     * the least recently used of a sample of the partition's entries.
     */
    private static EvictionConfig eviction(int maxKeys) {
        return new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU).setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(maxKeys);
    }

    /** The configuration of a client. */
    static ClientConfig client(HazelcastSettings settings) {
        ClientConfig config = settings.configLocation().map(HazelcastConfigs::loadClient)
                .orElseGet(() -> inlineClient(settings));
        SluiceHazelcast.registerSerializers(config.getSerializationConfig());
        return config;
    }

    private static Config inlineMember(HazelcastSettings settings) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        // Bind only where configured: the grid has no authentication.
        config.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(settings.networkInterface());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        TcpIpConfig tcpIp = join.getTcpIpConfig().setEnabled(true);
        settings.members().forEach(tcpIp::addMember);
        return config;
    }

    /**
     * A client that starts without waiting for the cluster and fails fast while disconnected, so
     * that the fault mode answers at once instead of each request waiting out its deadline; it
     * keeps reconnecting in the background, backing off to 5 s between attempts.
     */
    private static ClientConfig inlineClient(HazelcastSettings settings) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(settings.clusterName());
        settings.members().forEach(config.getNetworkConfig()::addAddress);
        ClientConnectionStrategyConfig strategy = config.getConnectionStrategyConfig();
        strategy.setAsyncStart(true).setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ASYNC);
        strategy.getConnectionRetryConfig()
                .setInitialBackoffMillis(250).setMaxBackoffMillis(5_000).setMultiplier(2).setJitter(0.2);
        return config;
    }

    private static Config loadMember(String location) {
        boolean xml = isXml(location);
        try (InputStream in = open(location)) {
            return xml ? new XmlConfigBuilder(in).build() : new YamlConfigBuilder(in).build();
        } catch (IOException | InvalidConfigurationException e) {
            throw new ConfigurationException(CONFIG_KEY, location,
                    "cannot be read as a Hazelcast member configuration: " + e.getMessage());
        }
    }

    private static ClientConfig loadClient(String location) {
        boolean xml = isXml(location);
        try (InputStream in = open(location)) {
            return xml ? new XmlClientConfigBuilder(in).build() : new YamlClientConfigBuilder(in).build();
        } catch (IOException | InvalidConfigurationException e) {
            throw new ConfigurationException(CONFIG_KEY, location,
                    "cannot be read as a Hazelcast client configuration: " + e.getMessage());
        }
    }

    private static boolean isXml(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".xml")) {
            return true;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return false;
        }
        throw new ConfigurationException(CONFIG_KEY, location, "expected a file ending in .xml, .yaml or .yml");
    }

    private static InputStream open(String location) throws IOException {
        InputStream in;
        if (location.startsWith("classpath:")) {
            String name = location.substring("classpath:".length());
            in = HazelcastConfigs.class.getClassLoader().getResourceAsStream(name.startsWith("/") ? name.substring(1) : name);
        } else {
            try {
                in = Files.newInputStream(Path.of(location.substring("file:".length())));
            } catch (NoSuchFileException e) {
                in = null;
            }
        }
        if (in == null) {
            throw new ConfigurationException(CONFIG_KEY, location, "not found");
        }
        return in;
    }

    private static void setIfAbsent(Properties properties, String name, String value) {
        if (properties.getProperty(name) == null) {
            properties.setProperty(name, value);
        }
    }
}
