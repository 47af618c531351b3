package org.forumgateway.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request, complete: headers read, body read in full (never more than its route allows). The body array
 * is the request's own; equality of two requests is not meaningful.
 *
 * @param path           the decoded path, such as {@code /calendar/abc.ics}
 * @param pathParameters values of the route's {@code {name}} placeholders and of {@code *}, decoded
 * @param query          query parameters, decoded; a name given twice keeps every value in order
 * @param remoteAddress  the peer's IP address (the proxy's, behind one)
 */
public record WebRequest(Method method, String path, Map<String, String> pathParameters,
                         Map<String, List<String>> query, Headers headers, byte[] body, String remoteAddress) {

    public WebRequest {
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
    }

    /** The value of the route's placeholder {@code name}; the route's pattern guarantees it is there. */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no path parameter " + name);
        }
        return value;
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name)).filter(values -> !values.isEmpty()).map(values -> values.get(0));
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Request headers by case-insensitive name. */
    public record Headers(Map<String, List<String>> byLowerCaseName) {
        public Headers {
            byLowerCaseName = Map.copyOf(byLowerCaseName);
        }

        public Optional<String> first(String name) {
            List<String> values = all(name);
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        public List<String> all(String name) {
            return byLowerCaseName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }
}
