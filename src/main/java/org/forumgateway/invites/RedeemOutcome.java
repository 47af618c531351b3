package org.forumgateway.invites;

import java.util.Optional;

/** What opening an invite link did. */
public record RedeemOutcome(Result result, Optional<Invite> invite) {

    /** Each maps to a message key {@code invite.<result>}. */
    public enum Result {
        /** The user now has the invite's role. */
        APPLIED,
        UNKNOWN,
        EXPIRED,
        USED_UP,
        /** Staff keep their role; an invite never lowers it. */
        STAFF_UNCHANGED
    }
}
