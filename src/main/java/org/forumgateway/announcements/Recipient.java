package org.forumgateway.announcements;

import org.forumgateway.users.QuietHours;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Someone an announcement goes to, with the language they read, their time zone (chosen, else the default) and
 * their quiet hours (empty when turned off).
 */
public record Recipient(long userId, String locale, Optional<ZoneId> timeZone, Optional<QuietHours> quietHours) {
    /**
     * The instant {@code local} is in their zone (the audience gives the forum's when they chose none); a time a clock
     * change skips moves later by the gap, and a repeated one is its first occurrence.
     */
    public Instant atLocal(LocalDateTime local) {
        return local.atZone(timeZone.orElse(ZoneOffset.UTC)).toInstant();
    }

    /** When the quiet hours they are in at {@code at} end (in their zone; UTC when it is unknown); empty if not. */
    public Optional<Instant> quietUntil(Instant at) {
        return quietHours.flatMap(hours -> hours.endIfQuiet(at, timeZone.orElse(ZoneOffset.UTC)));
    }
}
