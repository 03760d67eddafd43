package dev.sluice.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code sluice.hazelcast.*} settings that tell the Hazelcast bucket store where its grid is.
 * The engine only carries them; the store in {@code dev.sluice.hazelcast} reads them, so that the
 * engine never links against Hazelcast. {@link SluiceConfig} has validated every value.
 *
 * <p>Immutable and thread-safe.
 */
public final class HazelcastSettings {

    /** How the store reaches its grid ({@code sluice.hazelcast.mode}). */
    public enum Mode {
        /** This JVM runs a Hazelcast member that Sluice starts and stops. */
        EMBEDDED,
        /** This JVM runs a Hazelcast client of an existing cluster, which Sluice starts and stops. */
        CLIENT,
        /** The application hands Sluice its own member or client, which Sluice never stops. */
        PROVIDED
    }

    private final Mode mode;
    private final String clusterName;
    private final int port;
    private final String networkInterface;
    private final List<String> members;
    private final String configLocation;
    private final String map;
    private final Duration timeout;
    private final Integer maxKeys;

    HazelcastSettings(Mode mode, String clusterName, int port, String networkInterface, List<String> members,
            String configLocation, String map, Duration timeout, Integer maxKeys) {
        this.mode = mode;
        this.clusterName = clusterName;
        this.port = port;
        this.networkInterface = networkInterface;
        this.members = List.copyOf(members);
        this.configLocation = configLocation;
        this.map = map;
        this.timeout = timeout;
        this.maxKeys = maxKeys;
    }

    /** {@code sluice.hazelcast.mode}, default {@link Mode#EMBEDDED}. */
    public Mode mode() {
        return mode;
    }

    /** {@code sluice.hazelcast.cluster-name}, default {@code sluice}. */
    public String clusterName() {
        return clusterName;
    }

    /** {@code sluice.hazelcast.port}: the embedded member's port, default 5701. */
    public int port() {
        return port;
    }

    /** {@code sluice.hazelcast.interface}: where the embedded member binds, default {@code 127.0.0.1}. */
    public String networkInterface() {
        return networkInterface;
    }

    /**
     * {@code sluice.hazelcast.members}: {@code host[:port]} entries, the TCP-IP join list of an
     * embedded member or the cluster addresses of a client; empty when not set.
     */
    public List<String> members() {
        return members;
    }

    /**
     * {@code sluice.hazelcast.config}: a complete Hazelcast XML or YAML configuration
     * ({@code file:...} or {@code classpath:...}) that replaces the network settings above.
     */
    public Optional<String> configLocation() {
        return Optional.ofNullable(configLocation);
    }

    /** {@code sluice.hazelcast.map}: the map that holds the buckets, default {@code sluice-buckets}. */
    public String map() {
        return map;
    }

    /** {@code sluice.hazelcast.timeout}: the deadline of one bucket operation, default 100 ms. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * {@code sluice.hazelcast.max-keys}: the most buckets an embedded member keeps in the bucket
     * map, when set; empty when not set, and then the store applies its default.
     */
    public OptionalInt maxKeys() {
        return maxKeys == null ? OptionalInt.empty() : OptionalInt.of(maxKeys);
    }

}
