package org.forumgateway.metrics;

import org.forumgateway.web.WebHandler;
import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code GET /metrics} in the Prometheus text format; with METRICS_TOKEN set, only for {@code Authorization: Bearer
 * <token>} (compared in constant time). Without it, put /metrics behind the network's own protection.
 */
public final class MetricsEndpoint implements WebHandler {
    public static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4";

    private final Metrics metrics;
    private final Optional<byte[]> token;

    public MetricsEndpoint(Metrics metrics, Optional<String> token) {
        this.metrics = metrics;
        this.token = token.map(value -> value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public WebResponse handle(WebRequest request) {
        if (token.isPresent()) {
            byte[] presented = request.header("Authorization").filter(value -> value.startsWith("Bearer "))
                    .map(value -> value.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8))
                    .orElse(new byte[0]);
            if (!MessageDigest.isEqual(token.get(), presented)) {
                return WebResponse.problem(401, "Unauthorized", "Send METRICS_TOKEN as 'Authorization: Bearer <token>'.")
                        .withHeader("WWW-Authenticate", "Bearer");
            }
        }
        return WebResponse.text(200, CONTENT_TYPE, metrics.scrape());
    }
}
