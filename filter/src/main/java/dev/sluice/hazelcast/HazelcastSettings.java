package dev.sluice.hazelcast;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import dev.sluice.core.ConfigurationException;
import dev.sluice.core.Durations;

/**
 * The {@code sluice.hazelcast.*} settings that tell the Hazelcast bucket store where its grid is.
 * {@link HazelcastStoreProvider} parses and validates them (the engine only carries them, so that it
 * never knows a Hazelcast key); read them with
 * {@code (HazelcastSettings) config.storeSettings("hazelcast")}.
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

    static final String PREFIX = "sluice.hazelcast.";
    /** The fields under {@link #PREFIX}; the engine adds {@code fault-mode}. */
    static final Set<String> FIELDS = Set.of(
            "mode", "cluster-name", "port", "interface", "members", "config", "map", "timeout", "max-keys");
    /** The fields that describe the network of a grid Sluice starts, which a full Hazelcast file replaces. */
    private static final List<String> NETWORK_FIELDS = List.of("cluster-name", "port", "interface", "members");
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern IPV4_WILDCARD = Pattern.compile("([0-9]{1,3}|\\*)(\\.([0-9]{1,3}|\\*)){3}");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

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

    static HazelcastSettings parse(Map<String, String> fields, boolean inUse) {
        String modeText = fields.getOrDefault("mode", "embedded");
        HazelcastSettings.Mode mode = switch (modeText.toLowerCase(Locale.ROOT)) {
            case "embedded" -> Mode.EMBEDDED;
            case "client" -> Mode.CLIENT;
            case "provided" -> Mode.PROVIDED;
            default -> throw new ConfigurationException(PREFIX + "mode", modeText,
                    "expected embedded, client or provided");
        };
        String clusterName = name(PREFIX + "cluster-name", fields.getOrDefault("cluster-name", "sluice"));
        int port = port(PREFIX + "port", fields.getOrDefault("port", "5701"));
        String networkInterface = fields.getOrDefault("interface", "127.0.0.1");
        if (!isAddress(networkInterface) && !IPV4_WILDCARD.matcher(networkInterface).matches()) {
            throw new ConfigurationException(PREFIX + "interface", networkInterface,
                    "expected the IP address of a local interface, such as 10.0.0.5 (or a pattern such as 10.0.*.*)");
        }
        List<String> members = members(fields.get("members"));
        String configLocation = fields.get("config");
        if (configLocation != null && !(configLocation.startsWith("file:") && configLocation.length() > 5)
                && !(configLocation.startsWith("classpath:") && configLocation.length() > 10)) {
            throw new ConfigurationException(PREFIX + "config", configLocation,
                    "expected file:PATH or classpath:RESOURCE naming a Hazelcast .xml, .yaml or .yml file");
        }
        String map = name(PREFIX + "map", fields.getOrDefault("map", "sluice-buckets"));
        Duration timeout = duration(PREFIX + "timeout", fields.getOrDefault("timeout", "100ms"));
        Integer maxKeys = fields.containsKey("max-keys") ? bucketCount(PREFIX + "max-keys", fields.get("max-keys")) : null;
        if (inUse) {
            checkFieldsFitMode(fields, mode);
        }
        return new HazelcastSettings(mode, clusterName, port, networkInterface, members, configLocation, map, timeout,
                maxKeys);
    }

    private static void checkFieldsFitMode(Map<String, String> fields, HazelcastSettings.Mode mode) {
        if (mode == Mode.PROVIDED) {
            for (String field : List.of("cluster-name", "port", "interface", "members", "config", "max-keys")) {
                if (fields.containsKey(field)) {
                    throw new ConfigurationException(PREFIX + field, fields.get(field),
                            "not used in mode provided, where the application's own HazelcastInstance is used as configured");
                }
            }
            return;
        }
        if (mode == Mode.CLIENT) {
            for (String field : List.of("port", "interface")) {
                if (fields.containsKey(field)) {
                    throw new ConfigurationException(PREFIX + field, fields.get(field),
                            "applies only to mode embedded; a client connects to " + PREFIX + "members");
                }
            }
            if (fields.containsKey("max-keys")) {
                throw new ConfigurationException(PREFIX + "max-keys", fields.get("max-keys"),
                        "applies only to mode embedded; the cluster a client connects to bounds the bucket map in its own configuration");
            }
        }
        if (fields.containsKey("config")) {
            for (String field : NETWORK_FIELDS) {
                if (fields.containsKey(field)) {
                    throw new ConfigurationException(PREFIX + field, fields.get(field),
                            "conflicts with " + PREFIX + "config=" + fields.get("config")
                                    + "; set it in that Hazelcast file instead");
                }
            }
        } else if (mode == Mode.CLIENT && !fields.containsKey("members")) {
            throw new ConfigurationException("mode client needs the cluster's addresses: set "
                    + PREFIX + "members, for example 10.0.0.5:5701,10.0.0.6:5701");
        }
    }

    private static List<String> members(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> members = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String member = part.trim();
            if (!isHostAndPort(member)) {
                throw new ConfigurationException(PREFIX + "members", text,
                        "expected host or host:port entries separated by commas, such as 10.0.0.5:5701,10.0.0.6:5701; found '"
                                + member + "'");
            }
            members.add(member);
        }
        return members;
    }

    private static boolean isHostAndPort(String member) {
        String host = member;
        String port = null;
        if (member.startsWith("[")) {
            int close = member.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = member.substring(0, close + 1);
            if (close + 1 < member.length()) {
                if (member.charAt(close + 1) != ':') {
                    return false;
                }
                port = member.substring(close + 2);
            }
        } else {
            int colon = member.indexOf(':');
            if (colon >= 0) {
                host = member.substring(0, colon);
                port = member.substring(colon + 1);
            }
        }
        boolean hostValid = host.startsWith("[") ? isAddress(host)
                : isAddress(host) || HOST_NAME.matcher(host).matches();
        return hostValid && (port == null || isPort(port));
    }

    private static int port(String key, String text) {
        if (isPort(text)) {
            return Integer.parseInt(text);
        }
        throw new ConfigurationException(key, text, "expected a port number from 1 to 65535");
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65_535;
    }

    /** A count Hazelcast takes as an {@code int}, in ASCII digits. */
    private static int bucketCount(String key, String text) {
        String digits = text.trim();
        if (digits.matches("[0-9]{1,10}")) {
            long value = Long.parseLong(digits);
            if (value > 0 && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new ConfigurationException(key, text, "expected a whole number from 1 to " + Integer.MAX_VALUE);
    }

    private static String name(String key, String text) {
        if (!NAME.matcher(text).matches()) {
            throw new ConfigurationException(key, text, "expected a name of letters, digits and _ . -");
        }
        return text;
    }

    private static Duration duration(String key, String text) {
        Duration duration;
        try {
            duration = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, text, e.getMessage());
        }
        if (duration.isZero()) {
            throw new ConfigurationException(key, text, "expected a duration above zero");
        }
        return duration;
    }

    /** An IPv4 or IPv6 literal (with or without brackets and an IPv6 zone) in ASCII, never a host name. */
    private static boolean isAddress(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        int zone = literal.indexOf('%');
        literal = zone >= 0 ? literal.substring(0, zone) : literal;
        if (IPV4.matcher(literal).matches()) {
            for (String part : literal.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (literal.length() < 2 || literal.indexOf(':') < 0 || !IPV6_CHARS.matcher(literal).matches()) {
            return false;
        }
        try {
            // Only an IPv6 literal reaches this call, which parses it without a name lookup.
            return InetAddress.getByName(literal) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
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
