package org.forumgateway.rsvp;

import java.util.Locale;

/** A user's answer to an event, as stored. */
public enum RsvpStatus {
    GOING, MAYBE, DECLINED, WAITLISTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RsvpStatus fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
