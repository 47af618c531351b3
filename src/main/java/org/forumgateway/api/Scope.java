package org.forumgateway.api;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What an API key may do: send messages, read state, link people (and erase those it linked). */
public enum Scope {
    SEND, READ, LINKS;

    public static final Set<Scope> ALL = Set.copyOf(EnumSet.allOf(Scope.class));

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> fromCode(String code) {
        for (Scope scope : values()) {
            if (scope.code().equals(code.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
