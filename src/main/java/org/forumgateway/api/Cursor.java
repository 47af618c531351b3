package org.forumgateway.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Opaque pagination cursors: the list they belong to and a position, base64url-encoded so callers do not build
 * them. A list is a kind and, for the lists of one message or one event, its id: a cursor of another list (of
 * another message's deliveries, say, whose positions mean other people) or one a caller made up is a 400 problem
 * naming the parameter.
 */
final class Cursor {
    static final String PARAMETER = "cursor";
    static final String LIMIT = "limit";
    /** The query parameters of a paged list that has no filters of its own. */
    static final Set<String> PAGE_PARAMETERS = Set.of(PARAMETER, LIMIT);

    private Cursor() {
    }

    /** A cursor at {@code position}; one of more than one part is a sort key and what breaks its ties, say. */
    static String encode(String list, long... position) {
        StringBuilder text = new StringBuilder(list);
        for (long part : position) {
            text.append(':').append(part);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The position in a cursor of {@code list}, or the 400 problem naming the parameter. */
    static Optional<Long> decode(String list, Optional<String> cursor) {
        return decode(list, cursor, 1).map(position -> position[0]);
    }

    /** The {@code parts} parts of the position in a cursor of {@code list}, or the 400 problem. */
    static Optional<long[]> decode(String list, Optional<String> cursor, int parts) {
        if (cursor.isEmpty() || cursor.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.get()), StandardCharsets.UTF_8);
            if (text.startsWith(list + ":")) {
                String[] numbers = text.substring(list.length() + 1).split(":", -1);
                if (numbers.length == parts) {
                    long[] position = new long[parts];
                    for (int i = 0; i < parts; i++) {
                        position[i] = Long.parseLong(numbers[i]);
                    }
                    return Optional.of(position);
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem: a made-up cursor
        }
        throw Problem.invalidParameter(PARAMETER, "Not a cursor this list gave: pass next_cursor from the page before, "
                + "on the same path.").raise();
    }

    /** The {@code limit} parameter: 1 to {@code max}, else {@code standard}. */
    static int limit(Optional<String> text, int standard, int max) {
        if (text.isEmpty()) {
            return standard;
        }
        try {
            int limit = Integer.parseInt(text.get());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw Problem.invalidParameter(LIMIT, "The limit parameter must be 1-" + max + ".").raise();
    }
}
