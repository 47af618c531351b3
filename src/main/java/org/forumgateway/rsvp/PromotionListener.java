package org.forumgateway.rsvp;

import org.jdbi.v3.core.Handle;

import java.util.List;

/** Told about users who moved up from a waitlist, inside the transaction that gave them their seats. */
@FunctionalInterface
public interface PromotionListener {
    /** Nobody is told: for tests and tools that look at the seats only. */
    PromotionListener NONE = (handle, promotions) -> { };

    void promoted(Handle handle, List<Promotion> promotions);
}
