package org.forumgateway.config;

import java.util.Optional;

/**
 * Who may read {@code GET /metrics}. {@link #toString()} hides the token so that logging a config never leaks it.
 *
 * @param bearerToken when present, scrapes must send {@code Authorization: Bearer <token>}; else anyone may read
 */
public record MetricsSettings(Optional<String> bearerToken) {

    @Override
    public String toString() {
        return "MetricsSettings[bearerToken=" + (bearerToken.isPresent() ? "<redacted>" : "none") + "]";
    }
}
