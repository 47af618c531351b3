package org.forumgateway.invites;

import org.forumgateway.cohorts.Cohort;

import java.util.Optional;

/**
 * What opening an invite link did.
 *
 * @param joinedRunning the cohort the person joined while its period runs, not welcomed to it before: the answer is
 *                      the cohort's welcome
 */
public record RedeemOutcome(Result result, Optional<Invite> invite, Optional<Cohort> joinedRunning) {

    public RedeemOutcome(Result result, Optional<Invite> invite) {
        this(result, invite, Optional.empty());
    }

    /** Each maps to a message key {@code invite.<result>}. */
    public enum Result {
        /** The user now has the invite's role. */
        APPLIED,
        UNKNOWN,
        EXPIRED,
        /** The person used this link before it expired; opening it again after that changes nothing. */
        USED_BEFORE,
        USED_UP,
        /** Staff keep their role; an invite never lowers it. */
        STAFF_UNCHANGED
    }
}
