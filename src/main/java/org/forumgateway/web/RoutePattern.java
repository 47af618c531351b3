package org.forumgateway.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's path: literal text, {@code {name}} placeholders that match within one segment (never across '/'),
 * and an optional final {@code *} that matches the non-empty rest of the path. Examples: {@code /healthz},
 * {@code /calendar/{token}.ics}, {@code /v1/events/{key}/rsvps}, {@code /files/*}.
 */
record RoutePattern(String text, Pattern regex, List<String> names) {
    /** The name under which the rest matched by a final {@code *} is found. */
    static final String REST = "*";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    static RoutePattern parse(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("route must start with /: " + text);
        }
        boolean rest = text.endsWith("/*");
        String fixed = rest ? text.substring(0, text.length() - 1) : text;
        if (fixed.contains("*")) {
            throw new IllegalArgumentException("route may end in /* but have no other *: " + text);
        }
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(fixed);
        int at = 0;
        while (matcher.find()) {
            regex.append(literal(fixed.substring(at, matcher.start()), text)).append("([^/]+)");
            if (names.contains(matcher.group(1))) {
                throw new IllegalArgumentException("route names {" + matcher.group(1) + "} twice: " + text);
            }
            names.add(matcher.group(1));
            at = matcher.end();
        }
        regex.append(literal(fixed.substring(at), text));
        if (rest) {
            regex.append("(.+)");
            names.add(REST);
        }
        return new RoutePattern(text, Pattern.compile(regex.toString()), List.copyOf(names));
    }

    private static String literal(String piece, String route) {
        if (piece.contains("{") || piece.contains("}")) {
            throw new IllegalArgumentException("route has a malformed placeholder: " + route);
        }
        return piece.isEmpty() ? "" : Pattern.quote(piece);
    }

    /** The placeholders' values when {@code path} matches. */
    Optional<Map<String, String>> match(String path) {
        Matcher matcher = regex.matcher(path);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), matcher.group(i + 1));
        }
        return Optional.of(values);
    }
}
