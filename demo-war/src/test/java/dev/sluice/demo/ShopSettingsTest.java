package dev.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ShopSettingsTest {

    private static ShopSettings peak(String start, String end) {
        return new ShopSettings(LocalTime.parse(start), LocalTime.parse(end), ZoneOffset.UTC, "10/minute", 8, 2);
    }

    @Test
    void aWindowWithinADayIncludesItsStartAndExcludesItsEnd() {
        ShopSettings evening = peak("18:00", "21:00");
        assertThat(evening.isPeak(LocalTime.parse("17:59:59"))).isFalse();
        assertThat(evening.isPeak(LocalTime.parse("18:00"))).isTrue();
        assertThat(evening.isPeak(LocalTime.parse("20:59:59"))).isTrue();
        assertThat(evening.isPeak(LocalTime.parse("21:00"))).isFalse();
    }

    @Test
    void aWindowMaySpanMidnight() {
        ShopSettings night = peak("22:00", "02:00");
        assertThat(night.isPeak(LocalTime.parse("23:30"))).isTrue();
        assertThat(night.isPeak(LocalTime.parse("01:59"))).isTrue();
        assertThat(night.isPeak(LocalTime.parse("02:00"))).isFalse();
        assertThat(night.isPeak(LocalTime.parse("12:00"))).isFalse();
    }

    @Test
    void midnightAsTheEndMeansTheEndOfTheDaySoTheWholeDayIsOneWindow() {
        ShopSettings allDay = peak("00:00", "00:00");
        assertThat(allDay.isPeak(LocalTime.MIDNIGHT)).isTrue();
        assertThat(allDay.isPeak(LocalTime.parse("23:59:59"))).isTrue();
        assertThat(peak("21:00", "00:00").isPeak(LocalTime.parse("20:59"))).isFalse();
        assertThat(peak("21:00", "00:00").isPeak(LocalTime.parse("23:59"))).isTrue();
    }
}
