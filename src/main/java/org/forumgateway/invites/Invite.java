package org.forumgateway.invites;

import org.forumgateway.users.Role;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A link that makes whoever opens it a delegate of a country or a supporter in a cohort.
 *
 * @param expiresAt the end of its last day, {@link #lastDay()}, wherever on earth that day ends last
 */
public record Invite(String code, Role role, Optional<String> country, Optional<Integer> cohort, Instant expiresAt,
                     int maxUses, int uses) {
    /**
     * Where a calendar day ends last (UTC-12): staff are told "valid until 22 December", and a delegate anywhere
     * may open the link on the 22nd of their own calendar.
     */
    private static final ZoneOffset LAST_DAY_ENDS = ZoneOffset.ofHours(-12);

    /** The expiry of an invite whose last valid day is {@code day}. */
    static Instant endOf(LocalDate day) {
        return day.plusDays(1).atStartOfDay(LAST_DAY_ENDS).toInstant();
    }

    /** The last day it may be opened, as staff are told. */
    public LocalDate lastDay() {
        return expiresAt.minusNanos(1).atOffset(LAST_DAY_ENDS).toLocalDate();
    }
}
