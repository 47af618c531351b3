package org.forumgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A caller of forum-gateway's HTTP API over loopback, as another system would be. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Optional<String> key;

    public ApiClient(int port, Optional<String> key) {
        this.base = "http://127.0.0.1:" + port;
        this.key = key;
    }

    public ApiClient withKey(String other) {
        return new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), Optional.of(other));
    }

    public ApiClient withoutKey() {
        return new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), Optional.empty());
    }

    /** An answer: status, headers, and the body as text and, when it is JSON, as a tree. */
    public record Answer(int status, HttpResponse<String> response) {
        public String body() {
            return response.body();
        }

        public JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }

        public Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }

        /** The names of a problem's invalid query parameters. */
        public java.util.List<String> parameters() {
            java.util.List<String> names = new java.util.ArrayList<>();
            json().path("errors").forEach(error -> names.add(error.path("parameter").asText()));
            return names;
        }

        /** The pointers of a problem's invalid fields. */
        public java.util.List<String> pointers() {
            java.util.List<String> pointers = new java.util.ArrayList<>();
            json().path("errors").forEach(error -> pointers.add(error.path("pointer").asText()));
            return pointers;
        }

        @Override
        public String toString() {
            return status + " " + response.body();
        }
    }

    public Answer get(String path) {
        return send(builder(path).GET());
    }

    public Answer delete(String path) {
        return send(builder(path).DELETE());
    }

    public Answer post(String path, String body) {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POST with an Idempotency-Key. */
    public Answer post(String path, String idempotencyKey, String body) {
        return send(builder(path).header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        key.ifPresent(value -> builder.header("Authorization", "Bearer " + value));
        return builder;
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
