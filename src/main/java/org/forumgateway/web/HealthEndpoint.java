package org.forumgateway.web;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 when the database answers and the Bot API was reachable on the last exchange,
 * 503 otherwise, with a small JSON body saying which part is which.
 */
public final class HealthEndpoint implements WebHandler {
    public static final String PATH = "/healthz";
    private final BooleanSupplier databaseHealthy;
    private final Supplier<String> telegramStatus;

    /**
     * @param telegramStatus lower-case status of the Bot API; {@code "ok"} and {@code "unknown"} (just started)
     *                       count as healthy
     */
    public HealthEndpoint(BooleanSupplier databaseHealthy, Supplier<String> telegramStatus) {
        this.databaseHealthy = databaseHealthy;
        this.telegramStatus = telegramStatus;
    }

    @Override
    public WebResponse handle(WebRequest request) {
        boolean database = databaseHealthy.getAsBoolean();
        String telegram = telegramStatus.get();
        boolean healthy = database && ("ok".equals(telegram) || "unknown".equals(telegram));
        String body = "{\"status\":\"" + (healthy ? "ok" : "unhealthy") + "\",\"database\":\""
                + (database ? "ok" : "unavailable") + "\",\"telegram\":\"" + telegram + "\"}";
        return WebResponse.json(healthy ? 200 : 503, body);
    }
}
