package org.forumgateway.i18n;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Times as people read them, in the zone they are given. */
class DateTimesTest {
    private static final Instant ONE_UTC = Instant.parse("2026-12-08T01:00:00Z");

    @Test
    void aFixedOffsetShowsTheTimeAtThatOffsetNotInGmt() {
        // Refused in the events file and the settings now, but an event stored before keeps its zone.
        assertEquals("10:00", DateTimes.time(ONE_UTC, ZoneOffset.ofHours(9), "en"));
        assertEquals("10:00", DateTimes.time(ONE_UTC, ZoneId.of("UTC+9"), "en"));
        assertEquals("06:30", DateTimes.time(ONE_UTC, ZoneOffset.ofHoursMinutes(5, 30), "en"));
        assertEquals("01:00", DateTimes.time(ONE_UTC, ZoneId.of("UTC"), "en"));
    }

    @Test
    void aRegionShowsItsOwnTime() {
        assertEquals("10:00", DateTimes.time(ONE_UTC, ZoneId.of("Asia/Seoul"), "en"));
        assertEquals("06:00", DateTimes.time(ONE_UTC, ZoneId.of("Asia/Tashkent"), "en"));
    }
}
