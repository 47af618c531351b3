package org.forumgateway.events;

import org.forumgateway.users.Role;
import org.forumgateway.users.User;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may see an event and answer it: everyone, delegates, staff, or the members of one cohort. Staff see
 * everything.
 */
public record Audience(Kind kind, Optional<Integer> cohort) {
    private static final Pattern COHORT = Pattern.compile("cohort:([1-9][0-9]{0,3})");

    public static final Audience PUBLIC = new Audience(Kind.PUBLIC, Optional.empty());

    /** The kinds of audience. */
    public enum Kind { PUBLIC, DELEGATES, STAFF, COHORT }

    public static Audience cohort(int number) {
        return new Audience(Kind.COHORT, Optional.of(number));
    }

    /** Parses {@code public}, {@code delegates}, {@code staff} or {@code cohort:<number>}. */
    public static Optional<Audience> parse(String text) {
        switch (text) {
            case "public":
                return Optional.of(PUBLIC);
            case "delegates":
                return Optional.of(new Audience(Kind.DELEGATES, Optional.empty()));
            case "staff":
                return Optional.of(new Audience(Kind.STAFF, Optional.empty()));
            default:
                Matcher matcher = COHORT.matcher(text);
                return matcher.matches() ? Optional.of(cohort(Integer.parseInt(matcher.group(1)))) : Optional.empty();
        }
    }

    public String code() {
        return kind == Kind.COHORT ? "cohort:" + cohort.orElseThrow() : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean admits(User user) {
        if (user.role().atLeast(Role.STAFF)) {
            return true;
        }
        return switch (kind) {
            case PUBLIC -> true;
            case DELEGATES -> user.role() == Role.DELEGATE;
            case STAFF -> false;
            case COHORT -> user.cohortNumber().equals(cohort);
        };
    }
}
