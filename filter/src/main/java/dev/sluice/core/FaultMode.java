package dev.sluice.core;

import java.util.Locale;

/** What the engine answers while its bucket store is unavailable ({@code sluice.hazelcast.fault-mode}). */
enum FaultMode {
    /** Admit every request, counting each one. */
    FAIL_OPEN("fail-open", "admitting requests unchecked"),
    /** Refuse every request that an enforced policy matches with 503. */
    FAIL_CLOSED("fail-closed", "refusing limited requests with 503"),
    /** Enforce each policy on this instance's own buckets. */
    LOCAL("local", "enforcing limits per instance on local buckets");

    private final String text;
    private final String behaviour;

    FaultMode(String text, String behaviour) {
        this.text = text;
        this.behaviour = behaviour;
    }

    /**
     * Parses {@code fail-open}, {@code fail-closed} or {@code local}, ignoring case.
     *
     * @throws IllegalArgumentException for anything else
     */
    static FaultMode parse(String value) {
        String trimmed = value.trim().toLowerCase(Locale.ROOT);
        for (FaultMode mode : values()) {
            if (mode.text.equals(trimmed)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected fail-open, fail-closed or local");
    }

    /** What the engine does in this mode, for the log line that announces it. */
    String behaviour() {
        return behaviour;
    }

    @Override
    public String toString() {
        return text;
    }
}
