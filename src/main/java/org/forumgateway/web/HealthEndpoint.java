package org.forumgateway.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 when every part is healthy, 503 otherwise, with a small JSON object naming each part's
 * state, such as {@code {"status":"ok","database":"ok","telegram":"ok","updates":{...}}}.
 */
public final class HealthEndpoint implements WebHandler {
    public static final String PATH = "/healthz";

    /** One part of the report, probed on every request: keep the probe quick. */
    public record Check(String name, Supplier<Status> probe) {
    }

    /** @param detail what the report shows for the part: a word, or a map of figures */
    public record Status(boolean healthy, Object detail) {
    }

    private final List<Check> checks;

    public HealthEndpoint(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    @Override
    public WebResponse handle(WebRequest request) {
        Map<String, Object> parts = new LinkedHashMap<>();
        boolean healthy = true;
        for (Check check : checks) {
            Status status = check.probe().get();
            healthy &= status.healthy();
            parts.put(check.name(), status.detail());
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", healthy ? "ok" : "unhealthy");
        report.putAll(parts);
        return WebResponse.jsonOf(healthy ? 200 : 503, report);
    }
}
