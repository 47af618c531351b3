package org.forumgateway.events;

import java.util.Locale;

/** What sort of event it is; shown on the card as {@code event.kind.<code>}. */
public enum EventKind {
    FORUM, SESSION, SECRETARIAT, COHORT, SIDE_MEETING;

    /** As written in the events file: {@code side-meeting}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static EventKind fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
