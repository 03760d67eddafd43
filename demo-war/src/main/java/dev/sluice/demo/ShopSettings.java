package dev.sluice.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Properties;

/**
 * The shop's own settings: {@code shop.properties} on the class path, each key overridden by a JVM
 * system property of the same name (as Sluice's keys are). Read once; a bad value stops deployment.
 */
record ShopSettings(LocalTime peakStart, LocalTime peakEnd, ZoneId zone, String peakStatusLimit,
        int paymentPoolSize, int sharedPoolSize) {

    private static final String FILE = "shop.properties";

    static ShopSettings load() {
        Properties file = new Properties();
        try (InputStream in = ShopSettings.class.getClassLoader().getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing from the class path");
            }
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
        String hours = value(file, "shop.peak-hours");
        String[] bounds = hours.split("-");
        if (bounds.length != 2) {
            throw new IllegalArgumentException("shop.peak-hours=" + hours + ": expected HH:MM-HH:MM, such as 18:00-21:00");
        }
        try {
            return new ShopSettings(time(bounds[0]), time(bounds[1]), ZoneId.of(value(file, "shop.zone")),
                    value(file, "shop.status.peak-limit"), size(file, "shop.db.payment.pool-size"),
                    size(file, "shop.db.shared.pool-size"));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("shop.peak-hours=" + hours + " or shop.zone: " + e.getMessage(), e);
        }
    }

    /** Whether {@code time} falls in the peak window, which may span midnight ({@code 22:00-02:00}); {@code 24:00} ends a day. */
    boolean isPeak(LocalTime time) {
        if (peakEnd.equals(LocalTime.MIDNIGHT)) {
            return !time.isBefore(peakStart);
        }
        if (peakStart.isBefore(peakEnd)) {
            return !time.isBefore(peakStart) && time.isBefore(peakEnd);
        }
        return !time.isBefore(peakStart) || time.isBefore(peakEnd);
    }

    private static LocalTime time(String text) {
        String trimmed = text.trim();
        return trimmed.equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(trimmed);
    }

    private static String value(Properties file, String key) {
        String value = System.getProperty(key, file.getProperty(key));
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set in " + FILE);
        }
        return value.trim();
    }

    private static int size(Properties file, String key) {
        String text = value(file, key);
        try {
            int size = Integer.parseInt(text);
            if (size > 0 && size <= 100) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + text + ": expected a pool size from 1 to 100");
    }
}
