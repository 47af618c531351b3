package org.forumgateway.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole HTTP answer. Bodies are small (health, calendar feeds, JSON), so they are held in memory.
 * {@code Cache-Control: no-store} is sent unless {@code headers} says otherwise.
 *
 * @param headers extra response headers; Content-Type and Content-Length are set from the other fields
 */
public record WebResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json";
    /** RFC 9457: errors as {@code {"type","title","status","detail"}}. */
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public WebResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599: " + status);
        }
        headers = Map.copyOf(headers);
    }

    /** A text answer; {@code charset=utf-8} is added to the content type. */
    public static WebResponse text(int status, String contentType, String body) {
        return new WebResponse(status, contentType + "; charset=utf-8", body.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    public static WebResponse json(int status, String json) {
        return text(status, JSON, json);
    }

    /** Serialises {@code value} (a record, a map) with Jackson. */
    public static WebResponse jsonOf(int status, Object value) {
        try {
            return json(status, MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** An RFC 9457 problem with {@code type} about:blank; {@code title} is the status's reason phrase. */
    public static WebResponse problem(int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        try {
            return text(status, PROBLEM_JSON, MAPPER.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 204 without a body. */
    public static WebResponse noContent() {
        return new WebResponse(204, "", new byte[0], Map.of());
    }

    /** This answer with one more header (replacing one of the same name). */
    public WebResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new WebResponse(status, contentType, body, more);
    }
}
