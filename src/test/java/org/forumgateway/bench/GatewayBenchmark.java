package org.forumgateway.bench;

import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.RecordedRequest;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The HTTP API under load, through the real application (HTTP server, SQLite outbox, delivery engine, Telegram
 * client) against the fake Bot API enforcing the configured rate: 1,000 POST /v1/messages to single recipients
 * from 16 concurrent clients (accept latency; delivery at the configured rate), then one audience message to
 * 10,000 people (accept time). Run: see the README (Benchmarks).
 */
public final class GatewayBenchmark {
    private static final String KEY = "benchmark-key-0123456789abcdefghijklmnop";
    private static final int SINGLE_MESSAGES = 1_000;
    private static final int CLIENTS = 16;
    private static final int WARM_UP = 2_000;
    private static final int AUDIENCE = 10_000;
    /** Of the people's ids 1-10,000, every one not ending in 7: the warm-up writes to them in turn. */
    private static final int[] WARM_UP_LAST_DIGITS = {1, 2, 3, 4, 5, 6, 8, 9, 10};
    private static final double RATE = 30;
    /** CPU used by the load generator's own threads: on two cores, time the server does not get. */
    private static final AtomicLong CLIENT_CPU_NANOS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        try (ScratchFolder folder = ScratchFolder.create("forum-gateway-gateway-bench")) {
            run(folder.path());
        }
    }

    private static void run(Path folder) throws Exception {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            api.enforceLimits(RATE, 1, 3);
            Map<String, String> settings = new HashMap<>();
            settings.put("API_KEYS", "bench:" + KEY);
            settings.put("API_RATE_PER_SECOND", "100000");
            settings.put("API_BURST", "100000");
            settings.put("DELIVERY_MAX_PER_SECOND", String.valueOf(RATE));
            settings.put("DELIVERY_PER_CHAT_PER_SECOND", "1");
            try (ProductProcess bot = ProductProcess.start(api, folder, settings)) {
                int port = bot.port();
                seed(bot, AUDIENCE);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://127.0.0.1:" + port;

                // Warm-up, so the JIT has compiled the path as in a gateway that has run a while: rounds of the
                // same requests (the same HTML: a plain text left the HTML reader to be compiled while measuring)
                // to other people until the compiler is done with them, each round's cancelled (DELETE) in the round,
                // so that they do not hold up the measured ones (the few sent meanwhile are not counted below) and the
                // cancelling is compiled too (all cancelled after the last round, it kept the compiler busy during
                // the measurement).
                AtomicInteger warmUps = new AtomicInteger();
                System.out.println(Warmup.untilCompiled(bot, 2, 40, round -> {
                    // The measured burst follows a read of /metrics (ServerLatency): read here too, so that its
                    // code is compiled before, not while the burst is measured.
                    ServerLatency.from(port, "/v1/messages");
                    run(port, CLIENTS, WARM_UP, i -> post("/v1/messages", "warm-" + round + "-" + i,
                            "{\"to\": {\"telegram_id\": " + warmUpRecipient(round, i) + "}, \"text\": \"Message <b>"
                                    + (i + 1) + "</b> of the warm-up\"}"));
                    int first = warmUps.getAndAdd(WARM_UP) + 1;
                    run(port, CLIENTS, WARM_UP, i -> new Request("DELETE", "/v1/messages/" + (first + i), "", ""));
                }));

                GatewayGc gc = bot.gc();
                ProcessCpu cpu = new ProcessCpu(bot.pid());
                ServerLatency server = ServerLatency.from(port, "/v1/messages");
                ThreadCpu own = new ThreadCpu();
                CLIENT_CPU_NANOS.set(0);
                long started = System.nanoTime();
                long[] latencies = run(port, CLIENTS, SINGLE_MESSAGES, i -> post("/v1/messages",
                        "single-" + i, "{\"to\": {\"telegram_id\": " + measuredRecipient(i)
                                + "}, \"text\": \"Message <b>" + (i + 1) + "</b> of the benchmark\"}"));
                double acceptSeconds = (System.nanoTime() - started) / 1e9;
                ProcessCpu.Usage used = cpu.usage();
                Arrays.sort(latencies);
                System.out.printf("%,d POST /v1/messages from %d clients in %.2f s (%.0f/s): p50 %.1f ms · p99 %.1f ms "
                                + "· max %.1f ms%n", SINGLE_MESSAGES, CLIENTS, acceptSeconds,
                        SINGLE_MESSAGES / acceptSeconds, percentile(latencies, 50), percentile(latencies, 99),
                        latencies[latencies.length - 1] / 1e6);
                System.out.println("  " + server.since());
                System.out.printf("  %s%n  %s%n  %s%n  benchmark process: %s; the %d clients %.0f %%%n", used.cpu(),
                        used.waits(),
                        gc.since(), own.since(), CLIENTS, 100 * CLIENT_CPU_NANOS.get() / 1e9 / acceptSeconds);

                List<RecordedRequest> delivered = List.of();
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (delivered.size() < SINGLE_MESSAGES && System.nanoTime() < deadline) {
                    Thread.sleep(200); // a benchmark's progress poll; the engine works at its own pace
                    delivered = api.requests("sendMessage").stream()
                            .filter(request -> request.accepted() && request.text().contains("of the benchmark"))
                            .toList();
                }
                Set<Long> chats = new HashSet<>();
                delivered.forEach(request -> chats.add(request.chatId()));
                double deliverySeconds = (delivered.get(delivered.size() - 1).receivedAtNanos()
                        - delivered.get(0).receivedAtNanos()) / 1e9;
                System.out.printf("delivered %,d to %,d chats in %.1f s: %.1f messages/s at a configured %.0f/s "
                                + "(answered 429: %d)%n", delivered.size(), chats.size(), deliverySeconds,
                        (delivered.size() - 1) / deliverySeconds, RATE, api.throttledCount());
                // A stall shows here: one gap of a second costs 3 % of the rate over these 33 s.
                long[] gaps = new long[delivered.size() - 1];
                for (int i = 1; i < delivered.size(); i++) {
                    gaps[i - 1] = delivered.get(i).receivedAtNanos() - delivered.get(i - 1).receivedAtNanos();
                }
                Arrays.sort(gaps);
                System.out.printf("  gaps between sends: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        percentile(gaps, 50), percentile(gaps, 90), percentile(gaps, 99), gaps[gaps.length - 1] / 1e6);
                // Whatever else took the limit meanwhile (a warm-up message cancelled too late, say).
                long first = delivered.get(0).receivedAtNanos();
                long last = delivered.get(delivered.size() - 1).receivedAtNanos();
                Map<String, Long> others = api.requests().stream()
                        .filter(request -> request.receivedAtNanos() >= first && request.receivedAtNanos() <= last)
                        .filter(request -> !request.method().equals("getupdates"))
                        .filter(request -> !request.text().contains("of the benchmark"))
                        .collect(Collectors.groupingBy(request -> request.method() + (request.text().contains(
                                "warm-up") ? " (warm-up)" : ""), TreeMap::new, Collectors.counting()));
                System.out.println("  other requests meanwhile: " + (others.isEmpty() ? "none" : others));
                printThrottled(api, started);

                // One client alone: what one request costs when nobody waits ahead of it.
                long[] alone = run(port, 1, 200, i -> post("/v1/messages", "alone-" + i,
                        "{\"to\": {\"telegram_id\": " + (AUDIENCE - i) + "}, \"text\": \"Alone\", \"urgent\": true}"));
                Arrays.sort(alone);
                System.out.printf("200 POST /v1/messages from 1 client: p50 %.1f ms · p99 %.1f ms%n",
                        percentile(alone, 50), percentile(alone, 99));

                long audienceStarted = System.nanoTime();
                HttpResponse<String> audience = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                        .header("Authorization", "Bearer " + KEY).header("Idempotency-Key", "audience-1")
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"to\": {\"audience\": \"all\"}, \"text\": \"<b>Plenary</b> at 10:00 in Seoul.\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                double audienceMillis = (System.nanoTime() - audienceStarted) / 1e6;
                System.out.printf("audience of %,d people: accepted in %.0f ms · %d %s%n", AUDIENCE, audienceMillis,
                        audience.statusCode(), audience.body());
                String location = audience.headers().firstValue("Location").orElseThrow();
                // Not waited for: 10,000 messages at 30/s take five and a half minutes.
                http.send(HttpRequest.newBuilder(URI.create(base + location)).header("Authorization", "Bearer " + KEY)
                        .DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    /** One request of the load: method, path, Idempotency-Key (none when empty) and JSON body. */
    private record Request(String method, String path, String idempotencyKey, String body) {
    }

    private static Request post(String path, String idempotencyKey, String body) {
        return new Request("POST", path, idempotencyKey, body);
    }

    /**
     * Sends {@code count} requests from {@code clients} threads, each on a kept-alive connection of its own as
     * separate systems would have (see {@link LoadConnection}); returns each one's latency in nanoseconds.
     */
    private static long[] run(int port, int clients, int count, IntFunction<Request> request) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[count];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                try (LoadConnection connection = new LoadConnection(port)) {
                    for (int i; (i = next.getAndIncrement()) < count; ) {
                        Request one = request.apply(i);
                        Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Bearer " + KEY,
                                "Content-Type", "application/json"));
                        if (!one.idempotencyKey().isEmpty()) {
                            headers.put("Idempotency-Key", one.idempotencyKey());
                        }
                        long started = System.nanoTime();
                        LoadConnection.Answer answer = connection.send(one.method(), one.path(), headers, one.body());
                        latencies[i] = System.nanoTime() - started;
                        if (answer.status() >= 300 && !(one.method().equals("DELETE") && answer.status() == 409)) {
                            throw new IllegalStateException(answer.status() + " " + answer.body());
                        }
                    }
                }
                CLIENT_CPU_NANOS.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return latencies;
    }

    /**
     * Each send answered 429 in the whole run: when (from the measured messages' first POST; negative in the
     * warm-up), which message, and how many sends the fake saw in the 200 ms before it (Telegram's burst at 30/s is
     * 6): more means the sends arrived bunched, fewer that the fake's own limit was met some other way.
     */
    private static void printThrottled(FakeTelegramApi api, long measuredFrom) {
        List<RecordedRequest> requests = api.requests();
        api.throttled().forEach(refused -> {
            long at = refused.receivedAtNanos();
            long before = requests.stream().filter(request -> request.method().equals("sendmessage"))
                    .filter(request -> request.receivedAtNanos() < at && request.receivedAtNanos() >= at - 200_000_000L)
                    .count();
            System.out.printf("  429 at %.3f s: %s to chat %d (%s); %d sends in the 200 ms before it%n",
                    (at - measuredFrom) / 1e9, refused.method(), refused.chatId(),
                    refused.text().contains("of the benchmark") ? "a measured message" : "another message", before);
        });
    }

    private static double percentile(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    /**
     * The measured messages' recipients: every tenth person (the ids ending in 7, from 7 to 9,997), whom the
     * warm-up does not write to. Their ids have the lengths and first digits the warm-up's have, as a gateway that
     * has run a while has met every kind of id. C2 compiles for what it has seen: after a warm-up to ids 5,000-6,999,
     * the first measured request to 7,001 met a first digit Jackson's value switch had never seen, and a flight
     * recording (jdk.Deoptimization) showed nextFieldName, parseInt and the Bot API answers' parser deoptimized
     * there and compiled again during the burst (C2 at 13-25 % of a core in every measured burst).
     */
    private static long measuredRecipient(int i) {
        return 10L * i + 7;
    }

    /** The warm-up's {@code i}-th recipient in {@code round}: the other 9,000 people in turn. */
    private static long warmUpRecipient(int round, int i) {
        int n = (round * WARM_UP + i) % (AUDIENCE / 10 * WARM_UP_LAST_DIGITS.length);
        return 10L * (n / WARM_UP_LAST_DIGITS.length) + WARM_UP_LAST_DIGITS[n % WARM_UP_LAST_DIGITS.length];
    }

    /** People who started the bot, quiet hours off (the benchmark runs at any hour). */
    private static void seed(ProductProcess bot, int count) {
        long now = System.currentTimeMillis();
        bot.database().useTransaction(handle -> {
            PreparedBatch users = handle.prepareBatch("""
                    INSERT INTO users (telegram_id, first_name, telegram_language, created_at, updated_at, last_seen_at,
                                       quiet_start, quiet_end)
                    VALUES (:id, :name, :language, :now, :now, :now, -1, -1)""");
            String[] languages = {"ko", "en", "ru"};
            for (int id = 1; id <= count; id++) {
                users.bind("id", id).bind("name", "Person " + id).bind("language", languages[id % 3])
                        .bind("now", now).add();
            }
            users.execute();
        });
    }
}
