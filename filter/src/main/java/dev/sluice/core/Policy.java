package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.regex.Pattern;

import io.github.bucket4j.BucketConfiguration;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * A named rate limit: its limits, whose bucket a request draws from (its key), how many tokens a
 * request costs, and whether refusals are enforced or only counted (shadow mode). The name is
 * unique; it is the bucket namespace, the name in the rate-limit headers and the configuration
 * override key ({@code sluice.policy.<name>.*}).
 *
 * <p>Immutable and thread-safe. Build with {@link #builder(String)}.
 */
@NullMarked
public final class Policy {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.#:@$-]+");

    private final String name;
    private final Limits limits;
    private final ClientKey key;
    private final long cost;
    private final boolean enforce;
    private final BucketConfiguration bucketConfiguration;
    private final Duration idleTimeout;
    private final long quota;
    private final long windowSeconds;
    private final String headerName;
    private final String policyField;
    private final long configurationVersion;

    private Policy(Builder builder) {
        this.name = builder.name;
        this.configurationVersion = builder.configurationVersion;
        this.limits = requireNonNull(builder.limits, "limits");
        this.key = requireNonNull(builder.key, "key");
        this.cost = builder.cost;
        this.enforce = builder.enforce;
        if (cost > limits.smallestCapacity()) {
            throw new IllegalArgumentException("cost " + cost + " exceeds the capacity "
                    + limits.smallestCapacity() + " of limit '" + limits
                    + "': no request could ever be admitted");
        }
        this.bucketConfiguration = limits.toBucketConfiguration();
        this.idleTimeout = limits.timeToRefillFully();
        Limit reported = limits.reported();
        this.quota = reported.capacity();
        this.windowSeconds = reported.windowSeconds();
        this.headerName = '"' + name + '"';
        this.policyField = headerName + ";q=" + quota + ";w=" + windowSeconds;
    }

    /** Starts a policy with the given name: letters, digits and {@code _ . # : @ $ -}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The unique name. */
    public String name() {
        return name;
    }

    /** The limits a request must all satisfy. */
    public Limits limits() {
        return limits;
    }

    /** Whose bucket a request draws from. */
    public ClientKey key() {
        return key;
    }

    /** Tokens one request takes. */
    public long cost() {
        return cost;
    }

    /** {@code false} in shadow mode: refusals are counted and reported in headers, never enforced. */
    public boolean enforce() {
        return enforce;
    }

    /** The Bucket4j configuration every bucket of this policy is built with. */
    public BucketConfiguration bucketConfiguration() {
        return bucketConfiguration;
    }

    /**
     * The version of {@link #bucketConfiguration()}: 0 as configured, raised each time a
     * {@link LimitResolver} changes the limits. A store that meets a policy with a higher version
     * than a live bucket was built with replaces that bucket's configuration, keeping its tokens.
     */
    public long configurationVersion() {
        return configurationVersion;
    }

    /** How long a bucket may stay unused before it is full again and can be forgotten. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** The quota reported as {@code q}: the capacity of the limit with the lowest sustained rate. */
    long quota() {
        return quota;
    }

    /** The window reported as {@code w}, in seconds: that limit's time to refill fully. */
    long windowSeconds() {
        return windowSeconds;
    }

    /** The policy name as a structured-field string. */
    String headerName() {
        return headerName;
    }

    /** This policy's item of the {@code RateLimit-Policy} field, the same for every request. */
    String policyField() {
        return policyField;
    }

    /**
     * This policy with other limits and a new configuration version.
     *
     * @throws IllegalArgumentException if the cost exceeds a capacity of the new limits
     */
    Policy withLimits(Limits newLimits, long version) {
        Builder builder = new Builder(name).limits(newLimits).key(key).cost(cost).enforce(enforce);
        builder.configurationVersion = version;
        return builder.build();
    }

    /** Whether {@code other} declares the same limits, key, cost and enforcement, whatever its version. */
    boolean sameDeclaration(Policy other) {
        return name.equals(other.name) && limits.equals(other.limits) && key.toString().equals(other.key.toString())
                && cost == other.cost && enforce == other.enforce;
    }

    /** The name of the bucket this request draws from, unique within this policy. */
    String bucketKey(RequestInfo request) {
        return key.resolve(request);
    }

    @Override
    public String toString() {
        return "Policy[" + name + ": " + limits + " per " + key + (cost != 1 ? ", cost " + cost : "")
                + (enforce ? "" : ", shadow") + (configurationVersion != 0 ? ", version " + configurationVersion : "") + "]";
    }

    /** Configures a {@link Policy}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private @Nullable Limits limits;
        private ClientKey key = ClientKey.parse("ip", TrustedProxies.none());
        private long cost = 1;
        private boolean enforce = true;
        private long configurationVersion;

        private Builder(String name) {
            requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid policy name '" + name
                        + "': expected letters, digits and _ . # : @ $ -");
            }
            this.name = name;
        }

        /** The limits, required. */
        public Builder limits(Limits limits) {
            this.limits = requireNonNull(limits, "limits");
            return this;
        }

        /** The key; default {@code ip} with no trusted proxies. */
        public Builder key(ClientKey key) {
            this.key = requireNonNull(key, "key");
            return this;
        }

        /** Tokens per request; default 1. */
        public Builder cost(long cost) {
            if (cost <= 0) {
                throw new IllegalArgumentException("cost must be a positive whole number, was " + cost);
            }
            this.cost = cost;
            return this;
        }

        /** {@code false} for shadow mode; default {@code true}. */
        public Builder enforce(boolean enforce) {
            this.enforce = enforce;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalArgumentException if the limits are missing or the cost exceeds a capacity
         */
        public Policy build() {
            if (limits == null) {
                throw new IllegalArgumentException("policy '" + name + "' has no limits");
            }
            return new Policy(this);
        }
    }
}
