package dev.sluice.core;

import java.util.Locale;

/** Which rate-limit headers responses carry ({@code sluice.headers}). */
public enum HeaderStyle {
    /** {@code RateLimit-Policy} and {@code RateLimit}, per draft-ietf-httpapi-ratelimit-headers. */
    IETF,
    /** {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset}. */
    LEGACY,
    /** Both of the above. */
    BOTH,
    /** None; a refusal still carries {@code Retry-After}. */
    NONE;

    /**
     * Parses {@code ietf}, {@code legacy}, {@code both} or {@code none}, ignoring case.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static HeaderStyle parse(String text) {
        for (HeaderStyle style : values()) {
            if (style.name().equalsIgnoreCase(text.trim())) {
                return style;
            }
        }
        throw new IllegalArgumentException("expected ietf, legacy, both or none, found '" + text + "'");
    }

    boolean ietf() {
        return this == IETF || this == BOTH;
    }

    boolean legacy() {
        return this == LEGACY || this == BOTH;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
