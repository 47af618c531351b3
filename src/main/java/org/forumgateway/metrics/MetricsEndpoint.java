package org.forumgateway.metrics;

import org.forumgateway.web.WebHandler;
import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format. With a token configured (METRICS_TOKEN), only
 * for requests that carry it as {@code Authorization: Bearer <token>}; others get a 401 problem.
 */
public final class MetricsEndpoint implements WebHandler {
    public static final String PATH = "/metrics";
    private static final String BEARER = "Bearer ";

    private final Metrics metrics;
    private final Optional<byte[]> tokenDigest;

    public MetricsEndpoint(Metrics metrics, Optional<String> token) {
        this.metrics = metrics;
        this.tokenDigest = token.map(MetricsEndpoint::digest);
    }

    @Override
    public WebResponse handle(WebRequest request) {
        if (tokenDigest.isPresent() && !authorized(request, tokenDigest.get())) {
            return WebResponse.problem(401, "Unauthorized",
                            "Send the metrics token as Authorization: Bearer <token>.")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
        }
        return new WebResponse(200, Metrics.contentType(), metrics.scrape(), Map.of());
    }

    private static boolean authorized(WebRequest request, byte[] expected) {
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty() || !header.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        // Digests of equal length compared in constant time: neither the token's content nor its length leaks.
        return MessageDigest.isEqual(digest(header.get().substring(BEARER.length()).strip()), expected);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
