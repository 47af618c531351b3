package org.forumgateway.api;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a request's {@code Content-Type} says its body is JSON the API can read: {@code application/json}, with no
 * charset or UTF-8 (RFC 8259 allows no other). curl's {@code -d} alone sends a form type, and a body read as JSON
 * regardless would hide the caller's mistake until a body happened not to parse.
 */
final class JsonMediaType {
    private JsonMediaType() {
    }

    static boolean matches(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String[] parts = contentType.get().split(";");
        if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")
                    && !parameter.substring("charset=".length()).replace("\"", "").equals("utf-8")) {
                return false;
            }
        }
        return true;
    }
}
