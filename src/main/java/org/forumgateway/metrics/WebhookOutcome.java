package org.forumgateway.metrics;

import java.util.Locale;

/** How one attempt to post a webhook ended, as counted by {@code forumgw_webhook_deliveries_total{outcome}}. */
public enum WebhookOutcome {
    /** The receiver answered 2xx. */
    DELIVERED,
    /** It did not, and the webhook is tried again later. */
    RETRIED,
    /** It did not, and the retries ran out: the webhook is given up. */
    FAILED;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
