package org.forumgateway.users;

import java.util.Locale;

/** What a user may do, from least to most. {@link #ADMIN} comes from ADMIN_IDS and is never stored. */
public enum Role {
    GUEST, SUPPORTER, DELEGATE, STAFF, ADMIN;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The stored form: lower case. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
