package org.forumgateway.users;

import java.time.Duration;
import java.util.Map;

/**
 * Who uses the bot, for staff: people it can reach by role (delegates by country, supporters by cohort), how many
 * blocked it, and how many arrived lately.
 *
 * @param delegatesByCountry country code ("" for none) → delegates, most first
 * @param supportersByCohort cohort number (0 for none) → supporters, by number
 * @param staff              Secretariat staff and the administrators of ADMIN_IDS
 * @param withoutRole        everyone else: people who started the bot without an invitation
 * @param joinedLately       people who first wrote to the bot in the last {@link #LATELY} and can be reached
 */
public record Census(long blocked, long joinedLately, Map<String, Long> delegatesByCountry,
                     Map<Integer, Long> supportersByCohort, long staff, long withoutRole) {
    /** A week, as the message {@code stats.joined} says. */
    public static final Duration LATELY = Duration.ofDays(7);

    /** People the bot can reach: not those who blocked it, as audiences count them. */
    public long reachable() {
        return delegates() + supporters() + staff + withoutRole;
    }

    public long delegates() {
        return delegatesByCountry.values().stream().mapToLong(Long::longValue).sum();
    }

    public long supporters() {
        return supportersByCohort.values().stream().mapToLong(Long::longValue).sum();
    }
}
