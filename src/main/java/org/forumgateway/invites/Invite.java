package org.forumgateway.invites;

import org.forumgateway.users.Role;

import java.time.Instant;
import java.util.Optional;

/** A link that makes whoever opens it a delegate of a country or a supporter in a cohort. */
public record Invite(String code, Role role, Optional<String> country, Optional<Integer> cohort, Instant expiresAt,
                     int maxUses, int uses) {
}
