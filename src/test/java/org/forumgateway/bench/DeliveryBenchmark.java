package org.forumgateway.bench;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.config.TelegramSettings;
import org.forumgateway.delivery.DeliveryEngine;
import org.forumgateway.delivery.DeliveryLimits;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.Progress;
import org.forumgateway.storage.Database;
import org.forumgateway.telegram.TelegramBot;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.RecordedRequest;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A broadcast to 3,000 recipients through the real delivery engine, the real Telegram client and a SQLite outbox,
 * against the fake Bot API enforcing 200 messages/s overall and 1/s per chat with 40 ms of latency per request.
 * Prints the sustained rate, the share of requests answered 429, and how many messages were lost or duplicated.
 * Run: see the README (Benchmarks).
 */
public final class DeliveryBenchmark {
    private static final int RECIPIENTS = 3_000;
    private static final double LIMIT = 200;

    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory("forum-gateway-delivery-bench");
        try (FakeTelegramApi api = FakeTelegramApi.start();
             Database database = Database.open(folder.resolve("bench.db"))) {
            api.enforceLimits(LIMIT, 1, 3);
            api.latency(Duration.ofMillis(40));
            TelegramBot telegram = new TelegramBot(new TelegramSettings(FakeTelegramApi.TOKEN, URI.create(api.url()), 1), 64);
            Outbox outbox = new Outbox(database.jdbi(), Clock.systemUTC());
            long notification = outbox.createNotification("benchmark", null);
            List<Outbox.Addressed> messages = new ArrayList<>();
            for (long chat = 1; chat <= RECIPIENTS; chat++) {
                messages.add(new Outbox.Addressed(chat, 0, new OutgoingMessage.Send(chat,
                        "<b>Korea–Central Asia Cooperation Forum</b>\nThe plenary starts at 10:00 (Seoul).", Keyboard.NONE)));
            }
            outbox.enqueueBulk(notification, messages);

            DeliveryEngine engine = new DeliveryEngine(outbox, telegram.transport(),
                    DeliveryLimits.telegramDefaults().withRates(LIMIT, 1, 20), Clock.systemUTC());
            long started = System.nanoTime();
            engine.start();
            Progress progress = outbox.progress(notification);
            while (!progress.isFinished() && System.nanoTime() - started < Duration.ofMinutes(2).toNanos()) {
                Thread.sleep(100);
                progress = outbox.progress(notification);
            }
            engine.stop(2_000);
            telegram.close();

            List<RecordedRequest> sends = api.requests("sendMessage");
            List<RecordedRequest> accepted = sends.stream().filter(RecordedRequest::accepted).toList();
            Map<Long, Integer> perChat = new HashMap<>();
            accepted.forEach(request -> perChat.merge(request.chatId(), 1, Integer::sum));
            long lost = RECIPIENTS - perChat.size();
            long duplicated = perChat.values().stream().filter(count -> count > 1).count();
            double seconds = (accepted.get(accepted.size() - 1).receivedAtNanos() - accepted.get(0).receivedAtNanos()) / 1e9;
            double rate = (accepted.size() - 1) / seconds;
            System.out.printf("recipients %,d · requests %,d · accepted %,d · answered 429: %d (%.2f %%)%n", RECIPIENTS,
                    sends.size(), accepted.size(), api.throttledCount(), 100.0 * api.throttledCount() / sends.size());
            System.out.printf("first to last accepted: %.2f s · sustained %.1f messages/s = %.1f %% of the %.0f/s limit%n",
                    seconds, rate, 100 * rate / LIMIT, LIMIT);
            System.out.printf("lost %d · duplicated %d · outbox: %s%n", lost, duplicated, progress);
        }
    }
}
