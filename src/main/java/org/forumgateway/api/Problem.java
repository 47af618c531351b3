package org.forumgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpStatus;
import org.forumgateway.web.WebResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem the API answers with: a type naming what went wrong, the status's title, a detail for people,
 * and for invalid input one entry per field, with a JSON Pointer into the request body or the query parameter's name.
 */
record Problem(int status, String type, String detail, List<? extends InvalidPart> errors) {
    /** Problem types: URNs, so nobody expects to dereference them. */
    static final String INVALID_REQUEST = "urn:forum-gateway:problem:invalid-request";
    static final String UNAUTHORIZED = "urn:forum-gateway:problem:unauthorized";
    static final String FORBIDDEN = "urn:forum-gateway:problem:forbidden";
    static final String NOT_FOUND = "urn:forum-gateway:problem:not-found";
    static final String RATE_LIMITED = "urn:forum-gateway:problem:rate-limited";
    static final String IDEMPOTENCY_MISMATCH = "urn:forum-gateway:problem:idempotency-key-reused";
    static final String IDEMPOTENCY_IN_PROGRESS = "urn:forum-gateway:problem:idempotency-key-in-progress";
    static final String CONFLICT = "urn:forum-gateway:problem:conflict";
    /** A single recipient nobody can send to (unknown, unlinked, blocked the bot, a group without it): fix, retry. */
    static final String RECIPIENT_UNAVAILABLE = "urn:forum-gateway:problem:recipient-unavailable";
    /** DELETE of a message cancelled before: this cancel's work was done by the earlier one. */
    static final String ALREADY_CANCELLED = "urn:forum-gateway:problem:already-cancelled";
    static final String UNAVAILABLE = "urn:forum-gateway:problem:unavailable";
    static final String UNSUPPORTED_MEDIA_TYPE = "urn:forum-gateway:problem:unsupported-media-type";

    private static final ObjectMapper JSON = new ObjectMapper();

    Problem {
        errors = List.copyOf(errors);
    }

    /** One invalid part of a request, as the problem's {@code errors} lists it. */
    sealed interface InvalidPart permits FieldError, ParameterError, HeaderError {
        Map<String, String> json();
    }

    /** One invalid field: where it is in the request (a JSON Pointer, "" for the whole body) and what is wrong. */
    record FieldError(String pointer, String detail) implements InvalidPart {
        @Override
        public Map<String, String> json() {
            return Map.of("pointer", pointer, "detail", detail);
        }
    }

    /** One invalid query parameter, by name (unknown, given twice, or a value it cannot take), and what is wrong. */
    record ParameterError(String parameter, String detail) implements InvalidPart {
        @Override
        public Map<String, String> json() {
            return Map.of("parameter", parameter, "detail", detail);
        }
    }

    /** One missing or invalid request header, by name, and what is wrong. */
    record HeaderError(String header, String detail) implements InvalidPart {
        @Override
        public Map<String, String> json() {
            return Map.of("header", header, "detail", detail);
        }
    }

    static Problem of(int status, String type, String detail) {
        return new Problem(status, type, detail, List.of());
    }

    /** At most this many errors are listed: a body of thousands of unknown fields gets an answer of a few KB. */
    static final int MAX_LISTED_ERRORS = 50;

    static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).detail()
                : errors.size() > MAX_LISTED_ERRORS ? errors.size() + " fields are invalid; the first "
                        + MAX_LISTED_ERRORS + " are listed."
                : errors.size() + " fields are invalid.";
        return new Problem(400, INVALID_REQUEST, detail, errors.subList(0, Math.min(errors.size(), MAX_LISTED_ERRORS)));
    }

    static Problem invalid(String pointer, String detail) {
        return invalid(List.of(new FieldError(pointer, detail)));
    }

    /** A 400 naming query parameters: unknown ones, ones given twice, values they cannot take. */
    static Problem invalidParameters(List<ParameterError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).detail() : errors.size() + " query parameters are invalid.";
        return new Problem(400, INVALID_REQUEST, detail, errors);
    }

    static Problem invalidParameter(String parameter, String detail) {
        return invalidParameters(List.of(new ParameterError(parameter, detail)));
    }

    static Problem notFound(String detail) {
        return of(404, NOT_FOUND, detail);
    }

    WebResponse response() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", HttpStatus.getMessage(status));
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            body.put("errors", errors.stream().map(InvalidPart::json).toList());
        }
        try {
            return WebResponse.text(status, WebResponse.PROBLEM_JSON, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown inside a handler to answer with this problem; the gate turns it into the response. */
    static final class Raised extends RuntimeException {
        private final Problem problem;

        Raised(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        Problem problem() {
            return problem;
        }
    }

    Raised raise() {
        return new Raised(this);
    }
}
