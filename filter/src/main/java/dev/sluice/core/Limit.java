package dev.sluice.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import org.jspecify.annotations.NullMarked;

/**
 * One token-bucket limit: a bucket of {@code capacity} tokens that gains {@code refillTokens} every
 * {@code period}, either smoothly (greedy, the default) or all at once at the end of each period
 * ({@code fixed}, a fixed window).
 *
 * <p>Immutable and thread-safe. Obtain instances by parsing an expression with {@link Limits#parse}.
 *
 * @param capacity the most tokens the bucket holds: the burst a client may spend at once
 * @param refillTokens the tokens that return every {@code period}
 * @param period the refill period
 * @param fixed {@code true} if tokens return all at once at the end of each period
 */
@NullMarked
public record Limit(long capacity, long refillTokens, Duration period, boolean fixed) {

    /** Validates the fields; {@link Limits#parse} is the usual way to make a limit. */
    public Limit {
        requireNonNull(period, "period");
        if (refillTokens <= 0) {
            throw new IllegalArgumentException("refillTokens must be positive, was " + refillTokens);
        }
        if (capacity < refillTokens) {
            throw new IllegalArgumentException(
                    "capacity must be at least refillTokens (" + refillTokens + "), was " + capacity);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
    }

    /** How long an empty bucket takes to fill up completely. */
    public Duration timeToRefillFully() {
        if (fixed) {
            return period.multipliedBy(ceilDiv(capacity, refillTokens));
        }
        return Duration.ofNanos(saturatedMulDiv(period.toNanos(), capacity, refillTokens));
    }

    /** The sustained rate, in tokens per second, used to pick the most restrictive of several limits. */
    double tokensPerSecond() {
        return refillTokens / (period.toNanos() / 1e9);
    }

    /** The window reported in {@code RateLimit-Policy}'s {@code w}: the time to refill fully, in whole seconds. */
    long windowSeconds() {
        return Math.max(1, ceilDiv(timeToRefillFully().toNanos(), 1_000_000_000L));
    }

    static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    private static long saturatedMulDiv(long a, long b, long c) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
            return ceilDiv(low, c);
        }
        // The product overflows a long, the quotient may not (a capacity of 10^15 over 100 years).
        java.math.BigInteger[] quotient = java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                .divideAndRemainder(java.math.BigInteger.valueOf(c));
        java.math.BigInteger result = quotient[1].signum() == 0 ? quotient[0] : quotient[0].add(java.math.BigInteger.ONE);
        return result.bitLength() < 64 ? result.longValue() : Long.MAX_VALUE;
    }
}
