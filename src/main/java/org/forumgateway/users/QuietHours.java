package org.forumgateway.users;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The hours of a day when a user gets no automatic messages, in their own zone. The window may cross midnight
 * (22:00-08:00).
 *
 * @param startMinute minutes after local midnight when quiet begins
 * @param endMinute   minutes after local midnight when it ends
 */
public record QuietHours(int startMinute, int endMinute) {

    public QuietHours {
        if (startMinute < 0 || startMinute >= 1440 || endMinute < 0 || endMinute >= 1440) {
            throw new IllegalArgumentException("quiet hours are minutes of a day: " + startMinute + "-" + endMinute);
        }
    }

    /** When the quiet hours around {@code now} end, or empty when {@code now} is not in them. */
    public Optional<Instant> endIfQuiet(Instant now, ZoneId zone) {
        if (startMinute == endMinute) {
            return Optional.empty();
        }
        ZonedDateTime local = now.atZone(zone);
        int minute = local.getHour() * 60 + local.getMinute();
        boolean crossesMidnight = startMinute > endMinute;
        boolean quiet = crossesMidnight ? minute >= startMinute || minute < endMinute
                : minute >= startMinute && minute < endMinute;
        if (!quiet) {
            return Optional.empty();
        }
        LocalDate endDay = crossesMidnight && minute >= startMinute ? local.toLocalDate().plusDays(1) : local.toLocalDate();
        return Optional.of(endDay.atTime(LocalTime.ofSecondOfDay(endMinute * 60L)).atZone(zone).toInstant());
    }

    public String from() {
        return format(startMinute);
    }

    public String to() {
        return format(endMinute);
    }

    private static String format(int minutes) {
        return String.format("%02d:%02d", minutes / 60, minutes % 60);
    }
}
