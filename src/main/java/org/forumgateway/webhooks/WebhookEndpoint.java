package org.forumgateway.webhooks;

import java.net.URI;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * One receiver of webhooks, as configured: validated by the config loader. {@link #toString()} hides the secret.
 *
 * @param name   names the endpoint in the queue, in logs and in administrators' alerts
 * @param url    http or https
 * @param secret {@code whsec_<base64>}, the Standard Webhooks form
 * @param events the event types it receives
 */
public record WebhookEndpoint(String name, URI url, String secret, Set<WebhookEventType> events) {
    public static final String SECRET_PREFIX = "whsec_";

    public WebhookEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        events = Set.copyOf(events);
    }

    boolean wants(WebhookEventType type) {
        return events.contains(type);
    }

    /** The HMAC key: the bytes the base64 after {@code whsec_} stands for. */
    byte[] key() {
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    }

    @Override
    public String toString() {
        // The host only: a receiver may carry a token of its own in the path or query.
        return "WebhookEndpoint[name=" + name + ", host=" + url.getHost() + ", secret=<redacted>, events=" + events + "]";
    }
}
