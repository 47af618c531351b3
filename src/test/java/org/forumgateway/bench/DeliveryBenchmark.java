package org.forumgateway.bench;

import org.forumgateway.Application;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.TestSettings;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A broadcast to 3,000 recipients along the whole path a staff member waits for: the whole bot (long polling, the
 * announcement flow, resolving the audience, the outbox, the delivery engine, the real Telegram client) against the
 * fake Bot API over loopback, which enforces the overall limit, 1 message/s per chat and a latency per request.
 * The clock starts when the staff member presses "Send now" (the fake queues the button press) and stops when the
 * fake accepts the last recipient's message. Prints, per run, when the first message left, the whole run against
 * the ideal at the limit, 429 answers, messages lost or duplicated, the share of the limit with every send from Send
 * to the last accepted message counted (the staff member's progress message and its edits spend it too), and where
 * the limit's capacity went: every request of the run by method and chat, the start, the run in tenths, the longest
 * pauses and the tail.
 * <p>
 * Arguments: {@code [limit/s] [latency ms] [runs]}; without them, 200/s with 40 ms and then Telegram's default
 * 30/s with 80 ms, one run each. Run: see the README (Benchmarks).
 */
public final class DeliveryBenchmark {
    private static final int RECIPIENTS = 3_000;
    private static final long FIRST_RECIPIENT = 100_001;
    private static final FakeUser STAFF = new FakeUser(9001, "Secretariat", "en");
    private static final Duration GIVE_UP = Duration.ofMinutes(4);

    private DeliveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2) {
            int runs = args.length >= 3 ? Integer.parseInt(args[2]) : 1;
            for (int run = 1; run <= runs; run++) {
                broadcast(Double.parseDouble(args[0]), Duration.ofMillis(Long.parseLong(args[1])));
            }
        } else {
            broadcast(200, Duration.ofMillis(40));
            broadcast(30, Duration.ofMillis(80));
        }
    }

    private static void broadcast(double limit, Duration latency) throws Exception {
        try (ScratchFolder scratch = ScratchFolder.create("forum-gateway-delivery-bench");
             FakeTelegramApi api = FakeTelegramApi.start()) {
            Path folder = scratch.path();
            Map<String, String> environment = TestSettings.environment(api, folder);
            environment.put("ADMIN_IDS", String.valueOf(STAFF.id()));
            environment.put("EVENTS_FILE", Schedules.write(folder, Schedules.oneEvent("plenary", 50)).toString());
            environment.put("DELIVERY_MAX_PER_SECOND", String.valueOf(limit));
            environment.put("DELIVERY_PER_CHAT_PER_SECOND", "1");
            try (Application bot = Application.start(TestSettings.config(environment, folder), Clock.systemUTC())) {
                api.sendText(STAFF, "/help");
                api.awaitMessageTo(STAFF, "/about");
                seedDelegates(bot);
                api.sendText(STAFF, "/announce delegates <b>Korea–Central Asia Cooperation Forum</b>\n"
                        + "The plenary starts at 10:00 (Seoul).");
                RecordedRequest summary = api.await("sendMessage", message -> message.chatId() == STAFF.chatId()
                        && message.text().startsWith("<b>Announcement #"));
                if (!summary.text().contains("Recipients: " + String.format(Locale.ENGLISH, "%,d", RECIPIENTS))
                        && !summary.text().contains("Recipients: " + RECIPIENTS)) {
                    throw new IllegalStateException("unexpected audience: " + summary.text());
                }
                // The fake's limits start now, with full buckets, as Telegram's would be for a bot that was quiet.
                api.enforceLimits(limit, 1, 3);
                api.latency(latency);

                long pressed = System.nanoTime();
                api.pressButton(STAFF, summary.messageId(), summary.button("Send now").callbackData());
                List<RecordedRequest> toRecipients = awaitAllAccepted(api);
                report(limit, latency, api, pressed, toRecipients);
                breakdown(limit, api, pressed, toRecipients);
            }
        }
    }

    private static void seedDelegates(Application bot) {
        long now = System.currentTimeMillis();
        List<String> locales = List.of("en", "ru", "ko");
        bot.database().jdbi().useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO users (telegram_id, first_name, locale, role, country, created_at, updated_at, last_seen_at)
                    VALUES (:id, :name, :locale, 'delegate', 'KZ', :now, :now, :now)""");
            for (int i = 0; i < RECIPIENTS; i++) {
                batch.bind("id", FIRST_RECIPIENT + i).bind("name", "Delegate " + i)
                        .bind("locale", locales.get(i % locales.size())).bind("now", now).add();
            }
            batch.execute();
        });
    }

    /** Every request to a recipient, once each recipient has one accepted; fails after {@link #GIVE_UP}. */
    private static List<RecordedRequest> awaitAllAccepted(FakeTelegramApi api) throws InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            List<RecordedRequest> toRecipients = api.requests("sendMessage").stream()
                    .filter(request -> request.chatId() >= FIRST_RECIPIENT).toList();
            long accepted = toRecipients.stream().filter(RecordedRequest::accepted)
                    .map(RecordedRequest::chatId).distinct().count();
            if (accepted == RECIPIENTS) {
                return toRecipients;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + accepted + " recipients reached in " + GIVE_UP);
            }
            Thread.sleep(50);
        }
    }

    private static long firstAfter(FakeTelegramApi api, String method, long pressed) {
        return firstAfter(api, method, pressed, request -> true);
    }

    private static long firstAfter(FakeTelegramApi api, String method, long pressed,
                                   Predicate<RecordedRequest> matching) {
        return api.requests(method).stream().filter(matching).mapToLong(RecordedRequest::receivedAtNanos)
                .filter(at -> at > pressed).min().orElse(pressed - 1) - pressed;
    }

    /** Whose chat a request went to: a recipient, the staff member, or none (getUpdates, getMe). */
    private static String audience(RecordedRequest request) {
        long chat = request.chatId();
        return chat >= FIRST_RECIPIENT ? "recipients" : chat == STAFF.chatId() ? "staff" : chat == 0 ? "-" : "other";
    }

    /** The methods the fake (like Telegram) counts against the overall limit. */
    private static boolean spendsTheLimit(RecordedRequest request) {
        return request.method().startsWith("send") || request.method().startsWith("edit")
                || request.method().equals("copymessage");
    }

    /**
     * Where the limit's capacity went from Send to the last accepted message: every request the fake received in
     * that window by method and chat, then the window in slices, each with the sends it held against what the
     * limit allowed in it, and the longest pauses between two sends.
     */
    private static void breakdown(double limit, FakeTelegramApi api, long pressed, List<RecordedRequest> toRecipients) {
        long end = toRecipients.stream().filter(RecordedRequest::accepted).mapToLong(RecordedRequest::receivedAtNanos)
                .max().orElseThrow();
        List<RecordedRequest> window = api.requests().stream()
                .filter(request -> request.receivedAtNanos() >= pressed && request.receivedAtNanos() <= end)
                .sorted(Comparator.comparingLong(RecordedRequest::receivedAtNanos)).toList();
        Map<String, int[]> counts = new TreeMap<>();
        window.forEach(request -> {
            int[] count = counts.computeIfAbsent(request.method() + " " + audience(request), key -> new int[2]);
            count[request.status() == 429 ? 1 : 0]++;
        });
        counts.forEach((key, count) -> System.out.printf(Locale.ENGLISH, "    %-36s %5d%s%n", key, count[0],
                count[1] > 0 ? " (+" + count[1] + " answered 429)" : ""));
        List<Long> sends = window.stream().filter(DeliveryBenchmark::spendsTheLimit)
                .filter(RecordedRequest::accepted).map(request -> request.receivedAtNanos() - pressed).toList();
        double seconds = (end - pressed) / 1e9;
        System.out.printf(Locale.ENGLISH, "    %.2f s at %.0f/s allow %.1f sends; the limit's methods got %d, "
                + "unused %.1f (%.2f s)%n", seconds, limit, seconds * limit, sends.size(),
                seconds * limit - sends.size(), seconds - sends.size() / limit);
        long first = sends.get(0);
        System.out.printf(Locale.ENGLISH, "    start: first send %.0f ms after Send (%.1f sends' worth)%n",
                first / 1e6, first / 1e9 * limit);
        StringBuilder early = new StringBuilder("    unused in each of the first 5 s (sends' worth):");
        for (long second = 0; second < 5; second++) {
            long from = second * 1_000_000_000L;
            long held = sends.stream().filter(at -> at >= from && at < from + 1_000_000_000L).count();
            early.append(String.format(Locale.ENGLISH, " %.1f", limit - held));
        }
        System.out.println(early);
        int slices = 10;
        long span = end - pressed - first;
        StringBuilder line = new StringBuilder("    unused per tenth of the rest (sends' worth):");
        for (int slice = 0; slice < slices; slice++) {
            long from = first + span * slice / slices;
            long to = first + span * (slice + 1) / slices;
            long held = sends.stream().filter(at -> at >= from && at < to).count();
            line.append(String.format(Locale.ENGLISH, " %.1f", (to - from) / 1e9 * limit - held));
        }
        System.out.println(line);
        List<long[]> gaps = new ArrayList<>();
        for (int i = 1; i < sends.size(); i++) {
            gaps.add(new long[] {sends.get(i) - sends.get(i - 1), sends.get(i - 1)});
        }
        gaps.sort((a, b) -> Long.compare(b[0], a[0]));
        StringBuilder longest = new StringBuilder("    longest pauses between sends (ms @ s after Send):");
        gaps.stream().limit(8).forEach(gap -> longest.append(String.format(Locale.ENGLISH, " %.0f@%.1f",
                gap[0] / 1e6, gap[1] / 1e9)));
        System.out.println(longest);
        // Before each 429: how the sends arrived in the 300 ms before it, to tell the bot's burst (a few at once) from
        // a stall on the fake's side (a backlog handled at once).
        window.stream().filter(request -> request.status() == 429).forEach(refused -> {
            long at = refused.receivedAtNanos() - pressed;
            StringBuilder before = new StringBuilder(String.format(Locale.ENGLISH,
                    "    429 at %.3f s; sends in the 300 ms before it (ms before):", at / 1e9));
            window.stream().filter(DeliveryBenchmark::spendsTheLimit)
                    .map(request -> request.receivedAtNanos() - pressed)
                    .filter(sent -> sent < at && sent >= at - 300_000_000L)
                    .forEach(sent -> before.append(String.format(Locale.ENGLISH, " %.0f", (at - sent) / 1e6)));
            System.out.println(before);
        });
        long lastSecond = sends.stream().filter(at -> at > end - pressed - 1_000_000_000L).count();
        System.out.printf(Locale.ENGLISH, "    tail: %d sends in the last second%n", lastSecond);
    }

    private static void report(double limit, Duration latency, FakeTelegramApi api, long pressed,
                               List<RecordedRequest> toRecipients) {
        List<RecordedRequest> accepted = toRecipients.stream().filter(RecordedRequest::accepted).toList();
        Map<Long, Integer> perChat = new HashMap<>();
        accepted.forEach(request -> perChat.merge(request.chatId(), 1, Integer::sum));
        long duplicated = perChat.values().stream().filter(count -> count > 1).count();
        long lost = RECIPIENTS - perChat.size();
        long firstLeft = toRecipients.stream().mapToLong(RecordedRequest::receivedAtNanos).min().orElseThrow() - pressed;
        long lastAccepted = accepted.stream().mapToLong(RecordedRequest::receivedAtNanos).max().orElseThrow() - pressed;
        double seconds = lastAccepted / 1e9;
        double ideal = RECIPIENTS / limit;
        // Every request the limit counts (any chat: the staff member's progress message and edits too) from Send to
        // the last accepted message; what was sent before Send (the preview) is not part of the run.
        long allSends = api.requests().stream().filter(DeliveryBenchmark::spendsTheLimit)
                .filter(request -> request.receivedAtNanos() >= pressed
                        && request.receivedAtNanos() <= pressed + lastAccepted).count();
        System.out.printf(Locale.ENGLISH, "limit %.0f/s, latency %d ms: first message left %.0f ms after Send · "
                        + "last accepted after %.2f s (ideal %.2f s) = %.1f %% of the limit · %.1f messages/s · "
                        + "answered 429: %d of %d sends in the run · lost %d · duplicated %d%n",
                limit, latency.toMillis(), firstLeft / 1e6, seconds, ideal, 100 * ideal / seconds,
                RECIPIENTS / seconds, api.throttledCount(), allSends, lost, duplicated);
        // The staff member's progress edits spend the same overall limit: the share with every send counted.
        System.out.printf(Locale.ENGLISH, "  every send counted: %.1f %% of the limit · after Send: button answered "
                        + "%.0f ms · progress message %.0f ms%n", 100 * allSends / seconds / limit,
                firstAfter(api, "answerCallbackQuery", pressed) / 1e6,
                firstAfter(api, "sendMessage", pressed, request -> request.chatId() == STAFF.chatId()) / 1e6);
    }
}
