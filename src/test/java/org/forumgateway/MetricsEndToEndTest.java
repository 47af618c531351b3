package org.forumgateway;

import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.TestSettings;
import org.forumgateway.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * GET /metrics from the real wiring: conversations with the fake Bot API, deliveries with every kind of answer, a
 * webhook that is retried, and HTTP requests show up as counters with bounded labels, in the Prometheus text format.
 */
class MetricsEndToEndTest {
    private static final FakeUser JOHN = new FakeUser(731_000_501, "John", "en");
    private static final FakeUser BORIS = new FakeUser(731_000_502, "Boris", "ru");
    private static final FakeUser CARLA = new FakeUser(731_000_503, "Carla", "en");
    private static final FakeUser DANA = new FakeUser(731_000_504, "Dana", "en");
    private static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String METRICS_TOKEN = "scrape-8f3a1c9e2b7d4f60a5e1c0d9";
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    /** Bot API methods that carry outbox messages (getMe, setMyCommands and getUpdates do not). */
    private static final List<String> DELIVERY_METHODS =
            List.of("sendMessage", "editMessageText", "answerCallbackQuery", "sendDocument");

    // The text format, line by line: "# HELP name text", "# TYPE name type", or "name{label="value",...} value".
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\",?)*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeTelegramApi api;
    private Application bot;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Application start(Map<String, String> extra) throws IOException {
        api = FakeTelegramApi.start();
        open.add(api);
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("HTTP_PORT", String.valueOf(freePort()));
        environment.put("EVENTS_FILE", Schedules.write(folder, Schedules.oneEvent("plenary", 10)).toString());
        environment.putAll(extra);
        bot = Application.start(TestSettings.config(environment, folder), clock);
        open.add(bot);
        return bot;
    }

    @Test
    void aConversationDeliveriesAndAWebhookShowAsCountersWithTheirLabels() throws Exception {
        WebhookReceiver receiver = WebhookReceiver.start();
        open.add(receiver);
        start(Map.of("WEBHOOK_URL", receiver.url(), "WEBHOOK_SECRET", WEBHOOK_SECRET,
                "WEBHOOK_EVENTS", "rsvp.changed"));

        api.sendText(JOHN, "/help");
        api.awaitMessageTo(JOHN, "/about");
        api.failNext("sendMessage", 429, "Too Many Requests: retry after 1");
        api.sendText(BORIS, "/help");
        api.await("sendMessage", request -> request.chatId() == BORIS.chatId() && request.accepted());
        api.failNext("sendMessage", 400, "Bad Request: chat not found");
        api.sendText(CARLA, "/help");
        api.await("sendMessage", request -> request.chatId() == CARLA.chatId() && request.status() == 400);
        api.blockChat(DANA.chatId());
        api.sendText(DANA, "/help");
        api.await("sendMessage", request -> request.chatId() == DANA.chatId() && request.status() == 403);

        // An RSVP publishes rsvp.changed: the receiver refuses the first attempt, takes the retry.
        receiver.answer(500);
        api.sendText(JOHN, "/event plenary");
        RecordedRequest card = api.await("sendMessage", message -> message.chatId() == JOHN.chatId()
                && message.buttons().stream().anyMatch(button -> button.callbackData().endsWith(":plenary")));
        api.pressButton(JOHN, card.messageId(), card.button("Attending").callbackData());
        receiver.await(1, PATIENCE);
        // The retry is due 30 s (± 20 %) after the refusal is recorded: move the clock only once it is, and by less
        // than the polling silence after which /healthz calls the updates stale.
        awaitScrape(metrics -> metrics.value("forumgw_webhook_deliveries_total{outcome=\"retried\"}") == 1);
        clock.advance(Duration.ofSeconds(40));
        receiver.await(2, PATIENCE);
        api.await("answerCallbackQuery", RecordedRequest::accepted);

        assertEquals(200, get("/healthz").statusCode());
        assertEquals(404, get("/calendar/feed-token-5e6f7a8b.ics").statusCode());
        assertEquals(404, get("/no/such/page-4711").statusCode());
        assertEquals(405, send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode());

        // Answers are counted as they arrive, a moment after the fake has recorded the request; the pending gauge
        // reads the database at most once a second, so a scrape may still show the last answer's row as pending.
        Scrape scrape = awaitScrape(metrics -> metrics.value("forumgw_deliveries_total{status=\"sent\"}")
                == accepted(api) && metrics.value("forumgw_webhook_deliveries_total{outcome=\"delivered\"}") == 1
                && metrics.value("forumgw_outbox_pending") == 0);
        int sent = accepted(api);
        assertEquals(5, sent, "replies to John and Boris, the card, the press's answer and the card redrawn: "
                + api.summary());

        assertEquals(6, scrape.value("forumgw_updates_total"), "six updates: four /help, /event, one press");
        assertEquals(Map.of(
                "forumgw_deliveries_total{status=\"sent\"}", (double) sent,
                "forumgw_deliveries_total{status=\"throttled\"}", 1.0,
                "forumgw_deliveries_total{status=\"failed\"}", 1.0,
                "forumgw_deliveries_total{status=\"blocked\"}", 1.0,
                "forumgw_deliveries_total{status=\"retried\"}", 0.0,
                "forumgw_deliveries_total{status=\"migrated\"}", 0.0), scrape.family("forumgw_deliveries_total"));
        assertEquals(Map.of(
                "forumgw_telegram_errors_total{code=\"400\"}", 1.0,
                "forumgw_telegram_errors_total{code=\"403\"}", 1.0,
                "forumgw_telegram_errors_total{code=\"429\"}", 1.0), scrape.family("forumgw_telegram_errors_total"));
        assertEquals(Map.of(
                "forumgw_webhook_deliveries_total{outcome=\"delivered\"}", 1.0,
                "forumgw_webhook_deliveries_total{outcome=\"retried\"}", 1.0,
                "forumgw_webhook_deliveries_total{outcome=\"failed\"}", 0.0),
                scrape.family("forumgw_webhook_deliveries_total"));
        assertEquals(1, scrape.value("forumgw_http_requests_total{route=\"/healthz\",status=\"200\"}"));
        // Its time, from arrival to answer: within 10 s, the histogram's last finite bound.
        assertEquals(1, scrape.value("forumgw_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"10.0\"}"));
        assertEquals(1, scrape.value("forumgw_http_requests_total{route=\"/calendar/{token}.ics\",status=\"404\"}"));
        assertEquals(1, scrape.value("forumgw_http_requests_total{route=\"unmatched\",status=\"404\"}"));
        assertEquals(1, scrape.value("forumgw_http_requests_total{route=\"/metrics\",status=\"405\"}"));
        assertTrue(scrape.value("forumgw_http_requests_total{route=\"/metrics\",status=\"200\"}") >= 1, scrape.text);

        for (String family : List.of("jvm_memory_used_bytes", "jvm_threads_current", "jvm_classes_currently_loaded",
                "jvm_gc_collection_seconds", "process_cpu_seconds_total")) {
            assertTrue(scrape.text.contains("# TYPE " + family + " "), family + " in\n" + scrape.text);
        }
        for (String secret : List.of(FakeTelegramApi.TOKEN, FakeTelegramApi.TOKEN.split(":")[1], WEBHOOK_SECRET,
                "feed-token-5e6f7a8b", "page-4711", String.valueOf(JOHN.id()), String.valueOf(BORIS.id()),
                String.valueOf(CARLA.id()), String.valueOf(DANA.id()))) {
            assertFalse(scrape.text.contains(secret), secret + " must not be in\n" + scrape.text);
        }
        // Every label value of the application's metrics comes from a small fixed set.
        Map<String, Pattern> bounded = Map.of("status", Pattern.compile("[a-z]+|[1-5][0-9][0-9]"),
                "code", Pattern.compile("[1-5][0-9][0-9]|network"),
                "outcome", Pattern.compile("delivered|retried|failed|done"),
                "route", Pattern.compile("/healthz|/calendar/\\{token}\\.ics|/metrics|unmatched"),
                "le", Pattern.compile("[0-9.]+|\\+Inf"));
        for (Map.Entry<String, String> label : scrape.labelsOf("forumgw_")) {
            assertTrue(bounded.containsKey(label.getKey())
                    && bounded.get(label.getKey()).matcher(label.getValue()).matches(), label.toString());
        }
    }

    @Test
    void theOutboxGaugeCountsMessagesTelegramHasNotAnsweredYet() throws Exception {
        start(Map.of());
        FakeTelegramApi.Hold reply = api.hold(JOHN.chatId());
        api.sendText(JOHN, "/help");

        // The reply is on the wire until released; the gauge reads the database at most once a second.
        reply.awaitArrival();
        awaitScrape(scrape -> scrape.value("forumgw_outbox_pending") == 1);
        reply.release();
        awaitScrape(scrape -> scrape.value("forumgw_outbox_pending") == 0
                && scrape.value("forumgw_deliveries_total{status=\"sent\"}") == 1);
    }

    @Nested
    class WithAToken {
        @Test
        void scrapesWithoutTheTokenOrWithAWrongOneAreRefused() throws Exception {
            start(Map.of("METRICS_TOKEN", METRICS_TOKEN));
            for (HttpRequest.Builder request : List.of(HttpRequest.newBuilder(uri("/metrics")),
                    withAuthorization("Bearer " + METRICS_TOKEN.substring(1)),
                    withAuthorization("Bearer " + METRICS_TOKEN + "x"),
                    withAuthorization("Basic " + METRICS_TOKEN),
                    withAuthorization(METRICS_TOKEN))) {
                HttpResponse<String> refused = send(request);
                assertEquals(401, refused.statusCode(), refused.body());
                assertTrue(refused.headers().firstValue("Content-Type").orElseThrow()
                        .startsWith("application/problem+json"), refused.headers().toString());
                assertTrue(refused.body().contains("\"status\":401"), refused.body());
                assertEquals("Bearer realm=\"metrics\"",
                        refused.headers().firstValue("WWW-Authenticate").orElseThrow());
                assertFalse(refused.body().contains("forumgw_"), refused.body());
            }

            for (String scheme : List.of("Bearer ", "bearer ")) {
                HttpResponse<String> scrape = send(withAuthorization(scheme + METRICS_TOKEN));
                assertEquals(200, scrape.statusCode(), scrape.body());
                assertTrue(scrape.headers().firstValue("Content-Type").orElseThrow()
                        .startsWith("text/plain; version=0.0.4"), scrape.headers().toString());
                new Scrape(scrape.body());
                assertFalse(scrape.body().contains(METRICS_TOKEN), "the token is never shown");
            }
            assertEquals(200, get("/healthz").statusCode(), "the token guards /metrics only");
        }

        private HttpRequest.Builder withAuthorization(String value) {
            return HttpRequest.newBuilder(uri("/metrics")).header("Authorization", value);
        }
    }

    /** Scrapes until {@code ready} holds, failing after a while with the last scrape. */
    private Scrape awaitScrape(Predicate<Scrape> ready) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Scrape scrape = scrape();
        while (!ready.test(scrape)) {
            if (System.nanoTime() > deadline) {
                fail("metrics never got there:\n" + scrape.text);
            }
            Thread.sleep(100); // polling an HTTP endpoint: there is nothing to wait on
            scrape = scrape();
        }
        return scrape;
    }

    private Scrape scrape() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode(), response.body());
        return new Scrape(response.body());
    }

    private static int accepted(FakeTelegramApi api) {
        return DELIVERY_METHODS.stream().mapToInt(method ->
                (int) api.requests(method).stream().filter(RecordedRequest::accepted).count()).sum();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + bot.httpPort().orElseThrow() + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * One scrape, parsed: fails the test unless every line is a comment or a sample {@code name{labels} value}.
     * Series are keyed as written, {@code name{label="value",...}}.
     */
    private static final class Scrape {
        final String text;
        final Map<String, Double> series = new TreeMap<>();
        final List<Map<String, String>> labelSets = new ArrayList<>();
        final List<String> names = new ArrayList<>();

        Scrape(String text) {
            this.text = text;
            assertTrue(text.endsWith("\n"), "the text format ends with a line feed");
            for (String line : text.split("\n")) {
                if (line.startsWith("#")) {
                    assertTrue(COMMENT.matcher(line).matches(), "comment line: " + line);
                    continue;
                }
                Matcher sample = SAMPLE.matcher(line);
                assertTrue(sample.matches(), "sample line: " + line);
                double value = parse(sample.group(4), line);
                series.put(sample.group(2) == null ? sample.group(1) : sample.group(1) + sample.group(2), value);
                Map<String, String> labels = new HashMap<>();
                Matcher label = LABEL.matcher(sample.group(3) == null ? "" : sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
                names.add(sample.group(1));
                labelSets.add(labels);
            }
            assertFalse(series.isEmpty(), "no samples in\n" + text);
        }

        private static double parse(String value, String line) {
            switch (value) {
                case "+Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                case "NaN":
                    return Double.NaN;
                default:
                    try {
                        return Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        throw new AssertionError("not a number in: " + line);
                    }
            }
        }

        /** The value of one series; -1 when it is not there. */
        double value(String key) {
            return series.getOrDefault(key, -1.0);
        }

        /** Every series of the metric {@code name}. */
        Map<String, Double> family(String name) {
            Map<String, Double> family = new HashMap<>();
            series.forEach((key, value) -> {
                if (key.equals(name) || key.startsWith(name + "{")) {
                    family.put(key, value);
                }
            });
            return family;
        }

        /** Every label name and value of the metrics whose name starts with {@code prefix}. */
        List<Map.Entry<String, String>> labelsOf(String prefix) {
            List<Map.Entry<String, String>> labels = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).startsWith(prefix)) {
                    labels.addAll(labelSets.get(i).entrySet());
                }
            }
            return labels;
        }
    }
}
