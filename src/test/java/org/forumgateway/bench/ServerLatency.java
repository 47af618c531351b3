package org.forumgateway.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own measure of one route's answers, {@code forumgw_http_request_duration_seconds}: from a request's
 * arrival (its first bytes read) to its answer, by the server's clock. Read from {@code /metrics} before a phase and
 * after it, never during (a scrape runs code beside the code under measurement). Beside the load's measure, which
 * also holds the load's own waits for a core and the loopback's: the part of a miss the gateway is answerable for.
 */
final class ServerLatency {
    private static final String FAMILY = "forumgw_http_request_duration_seconds";
    /** The bounds the report names: the targets are among them. */
    private static final double[] SHOWN = {0.002, 0.005, 0.01, 0.02, 0.05};

    private final int port;
    private final String route;
    private final Map<Double, Long> before;

    private ServerLatency(int port, String route) throws IOException {
        this.port = port;
        this.route = route;
        this.before = buckets();
    }

    /** Reads the route's buckets now; {@link #since()} reports the answers given after this. */
    static ServerLatency from(int port, String route) throws IOException {
        return new ServerLatency(port, route);
    }

    /** "server (arrival → answer), 1,000 answers: 97.1 % within 5 ms, 99.4 % within 10 ms, …; p99 within 10 ms". */
    String since() throws IOException {
        Map<Double, Long> after = buckets();
        long total = after.getOrDefault(Double.POSITIVE_INFINITY, 0L)
                - before.getOrDefault(Double.POSITIVE_INFINITY, 0L);
        if (total == 0) {
            return "server (arrival → answer): no answers";
        }
        List<String> shares = new ArrayList<>();
        String p99 = "over " + format(SHOWN[SHOWN.length - 1]);
        for (Map.Entry<Double, Long> bucket : after.entrySet()) {
            long within = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0L);
            double share = 100.0 * within / total;
            for (double shown : SHOWN) {
                if (shown == bucket.getKey()) {
                    shares.add(String.format(Locale.ROOT, "%.1f %% within %s", share, format(shown)));
                }
            }
            if (within >= Math.ceil(0.99 * total) && p99.startsWith("over")) {
                p99 = "within " + format(bucket.getKey());
            }
        }
        return String.format(Locale.ROOT, "server (arrival → answer), %,d answers: %s; p99 %s", total,
                String.join(", ", shares), p99);
    }

    private static String format(double seconds) {
        return Double.isInfinite(seconds) ? "+Inf" : String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
    }

    /** The route's cumulative bucket counts, by upper bound in seconds. */
    private Map<Double, Long> buckets() throws IOException {
        Pattern line = Pattern.compile("^" + FAMILY + "_bucket\\{route=\"" + Pattern.quote(route)
                + "\",le=\"([^\"]+)\"} ([0-9.eE+]+)$", Pattern.MULTILINE);
        Map<Double, Long> buckets = new TreeMap<>();
        try (LoadConnection connection = new LoadConnection(port)) {
            Matcher matcher = line.matcher(connection.send("GET", "/metrics", Map.of(), "").body());
            while (matcher.find()) {
                double bound = matcher.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY
                        : Double.parseDouble(matcher.group(1));
                buckets.put(bound, (long) Double.parseDouble(matcher.group(2)));
            }
        }
        return buckets;
    }
}
