package dev.sluice.demo;

import java.time.Instant;
import java.time.LocalTime;

import dev.sluice.core.LimitResolver;

/**
 * The dynamic limit of {@code GET /api/status}: {@code shop.status.peak-limit} during
 * {@code shop.peak-hours}, else the limit its {@code @RateLimit} declares. Sluice asks it at most
 * once a minute and reconfigures live buckets when the answer changes. Thread-safe.
 */
public final class PeakHours implements LimitResolver {

    private final ShopSettings settings = ShopSettings.load();

    /** Created by Sluice. */
    public PeakHours() {
        // settings are read above
    }

    @Override
    public String limit(String policy, Instant now) {
        return settings.isPeak(LocalTime.ofInstant(now, settings.zone())) ? settings.peakStatusLimit() : null;
    }
}
