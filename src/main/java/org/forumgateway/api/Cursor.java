package org.forumgateway.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque pagination cursors: a kind and a position, base64url-encoded so callers do not build them. A cursor of
 * another list, or one a caller made up, is a 400 problem.
 */
final class Cursor {
    private Cursor() {
    }

    static String encode(String kind, long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position in a cursor of {@code kind}, or the 400 problem naming the parameter. */
    static Optional<Long> decode(String kind, Optional<String> cursor) {
        if (cursor.isEmpty() || cursor.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.get()), StandardCharsets.UTF_8);
            if (text.startsWith(kind + ":")) {
                return Optional.of(Long.parseLong(text.substring(kind.length() + 1)));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem: a made-up cursor
        }
        throw Problem.of(400, Problem.INVALID_REQUEST, "The cursor parameter is not one this list gave.").raise();
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
        throw Problem.of(400, Problem.INVALID_REQUEST, "The limit parameter must be 1-" + max + ".").raise();
    }
}
