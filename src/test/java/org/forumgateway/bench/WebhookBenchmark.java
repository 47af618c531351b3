package org.forumgateway.bench;

import org.forumgateway.telegram.Webhook;
import org.forumgateway.testing.FakeTelegramApi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook mode under a burst: the whole gateway, run from the packaged jar in a process of its own
 * ({@link ProductProcess}: inbox in SQLite, chat workers, outbox), receives 1,000 updates
 * POSTed by 10 concurrent connections, as Telegram does with max_connections 10, after rounds of the same burst
 * until the JIT is done with the path (at least 3,000 updates; see {@link Warmup})
 * (handled before the burst starts). Prints the latency from sending a POST to receiving its 200 (measured at the
 * client, so loopback included; the client writes to kept-alive sockets directly, see {@link LoadConnection}) and
 * checks that every update was handled exactly once (every inbox row handled, one reply queued per chat; replies
 * leave at Telegram's 30/s meanwhile). Run: see the README.
 */
public final class WebhookBenchmark {
    private static final int UPDATES = 1_000;
    private static final int CONNECTIONS = 10;
    private static final String SECRET = "benchmark-secret";

    public static void main(String[] args) throws Exception {
        try (ScratchFolder folder = ScratchFolder.create("forum-gateway-webhook-bench")) {
            run(folder.path());
        }
    }

    private static void run(Path folder) throws Exception {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            // Replies leave at Telegram's default 30/s, as in production: a burst of updates queues its replies.
            Map<String, String> settings = new HashMap<>();
            settings.put("TELEGRAM_WEBHOOK_SECRET", SECRET);
            try (ProductProcess bot = ProductProcess.startInWebhookMode(api, folder, settings)) {
                api.await("setWebhook", request -> true);
                int port = bot.port();
                // Rounds of the same burst until the JIT is done with the path (at least 3,000 updates), each
                // handled before the next: the burst measured starts on a bot that has caught up.
                AtomicInteger pushed = new AtomicInteger();
                String warmUp = Warmup.untilCompiled(bot, 3, 40, round -> {
                    // The measured burst follows a read of /metrics (ServerLatency): read here too, so that its
                    // code is compiled before, not while the burst is measured.
                    ServerLatency.from(port, Webhook.PATH);
                    push(port, pushed.get() + 1, UPDATES);
                    awaitHandled(bot, pushed.addAndGet(UPDATES));
                });
                GatewayGc gc = bot.gc();
                ProcessCpu cpu = new ProcessCpu(bot.pid());
                ServerLatency server = ServerLatency.from(port, Webhook.PATH);
                ThreadCpu own = new ThreadCpu();
                long[] nanos = push(port, pushed.get() + 1, UPDATES);
                ProcessCpu.Usage used = cpu.usage();
                String load = own.since();
                String collections = gc.since();

                int total = pushed.get() + UPDATES;
                awaitHandled(bot, total);
                long once = repliedOnce(bot);

                Arrays.sort(nanos);
                System.out.printf("webhook: %d updates by %d connections after %d for warm-up (%s)%n", UPDATES,
                        CONNECTIONS, pushed.get(), warmUp);
                System.out.printf("POST -> 200: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        millis(nanos, 0.50), millis(nanos, 0.90), millis(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
                System.out.println("  " + server.since());
                System.out.println("  " + used.cpu());
                System.out.println("  " + used.waits());
                System.out.println("  " + collections);
                System.out.println("  benchmark process (load, fake Bot API): " + load);
                System.out.printf("handled: %d of %d inbox rows; chats with exactly one reply queued: %d of %d%n",
                        handled(bot), total, once, total);
            }
        }
    }

    /** POSTs updates {@code first} .. {@code first + count - 1} over {@code CONNECTIONS} kept-alive connections. */
    private static long[] push(int port, int first, int count) throws Exception {
        long[] nanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
        List<Future<?>> done = new ArrayList<>();
        Map<String, String> headers = Map.of("Content-Type", "application/json",
                "X-Telegram-Bot-Api-Secret-Token", SECRET);
        for (int c = 0; c < CONNECTIONS; c++) {
            done.add(senders.submit(() -> {
                try (LoadConnection connection = new LoadConnection(port)) {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        int id = first + i;
                        String body = update(id);
                        long started = System.nanoTime();
                        LoadConnection.Answer answer = connection.send("POST", "/telegram/webhook", headers, body);
                        nanos[i] = System.nanoTime() - started;
                        if (answer.status() != 200) {
                            throw new IllegalStateException("update " + id + " answered " + answer.status());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        senders.shutdown();
        return nanos;
    }

    /** A /help from its own user in their private chat. */
    private static String update(int id) {
        long user = 500_000L + id;
        return "{\"update_id\":" + id + ",\"message\":{\"message_id\":" + id + ",\"date\":" + (System.currentTimeMillis()
                / 1000) + ",\"chat\":{\"id\":" + user + ",\"type\":\"private\",\"first_name\":\"U\"},\"from\":{\"id\":"
                + user + ",\"is_bot\":false,\"first_name\":\"U\",\"language_code\":\"en\"},\"text\":\"/help\","
                + "\"entities\":[{\"type\":\"bot_command\",\"offset\":0,\"length\":5}]}}";
    }

    /** Waits until {@code count} updates are handled (their replies queued; they leave at 30/s meanwhile). */
    private static void awaitHandled(ProductProcess bot, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (handled(bot) < count && System.nanoTime() < deadline) {
            Thread.sleep(100); // a benchmark's progress poll
        }
    }

    /** Chats with exactly one reply queued: every update is a /help from a chat of its own. */
    private static long repliedOnce(ProductProcess bot) {
        return bot.database().withHandle(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM (SELECT chat_id FROM outbox GROUP BY chat_id HAVING COUNT(*) = 1)")
                .mapTo(Long.class).one());
    }

    private static int handled(ProductProcess bot) {
        return bot.database().withHandle(handle -> handle
                .createQuery("SELECT COUNT(*) FROM inbox WHERE handled = 1").mapTo(Integer.class).one());
    }

    private static double millis(long[] sorted, double percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile * sorted.length) - 1)] / 1e6;
    }
}
