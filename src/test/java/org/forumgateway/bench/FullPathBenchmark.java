package org.forumgateway.bench;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.config.AppConfig;
import org.forumgateway.delivery.DeliveryLimits;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.TestSettings;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The full path of a chat command with a large database (100,000 users, 1,000 events, 500,000 RSVPs): the update
 * is served by the fake Bot API over loopback to the gateway, run as the packaged jar in a process of its own
 * ({@link ProductProcess}: polling, inbox, chat workers, handler),
 * the reply is queued in the outbox and sent by the delivery engine back to the fake, while a 20,000-recipient
 * broadcast goes out at Telegram's default limits. It prints, per command, the time from the update being
 * served to the reply arriving at the fake, and the handler's own share. The load runs below the gateway's
 * priority ({@link HarnessPriority}): in production it is not on the gateway's cores. Run: see the README
 * (Benchmarks).
 */
public final class FullPathBenchmark {
    private static final int USERS = 100_000;
    private static final int EVENTS = 1_000;
    private static final int RSVPS = 500_000;
    private static final int BROADCAST = 20_000;
    private static final int WARMUP = 30;
    private static final int MEASURED = 200;
    /** One update every so often: people, not a load test; the broadcast keeps the engine busy meanwhile. */
    private static final Duration PACE = Duration.ofMillis(30);
    private static final Duration LATENCY = Duration.ofMillis(40);
    /**
     * The gateway's JIT compiles a method after a tenth of the usual calls. Replies leave at Telegram's 30 a second,
     * so the warm-up's minute gives each command about 600 updates; a gateway in production reaches the usual
     * thresholds (thousands of calls) after some minutes and has compiled its paths long before anyone measures it.
     * Without this, C2 was still compiling the commands' own paths during the measurement, using 5–11 % of a core
     * that the handlers waited for (flight recordings of every compilation, 23 November).
     */
    private static final String STEADY_STATE_JIT = "-XX:CompileThresholdScaling=0.1";

    /**
     * ChatRouter's debug line: "Handled Message in chat 42 in 1234 µs (replies queued after 1100 µs), 987 µs of CPU,
     * 12 µs waiting for a core, 0 µs waiting for the write turn".
     */
    private static final Pattern HANDLED = Pattern.compile("DEBUG ChatRouter Handled \\S+ in chat (-?\\d+) in (\\d+) \\S+ "
            + "\\(replies queued after (-?\\d+) \\S+\\), (\\d+) \\S+ of CPU, (-?\\d+) \\S+ waiting for a core, "
            + "(\\d+) \\S+ waiting for the write turn");

    /** The router's figures per chat, until the benchmark takes them. */
    private final Map<Long, HandlerTimes> handlerTimes = new ConcurrentHashMap<>();
    private final Random random = new Random(42);
    private final List<String> publicEvents = new ArrayList<>();
    private final List<String> cpuLines = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new FullPathBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        try (ScratchFolder scratch = ScratchFolder.create("forum-gateway-fullpath");
             FakeTelegramApi api = FakeTelegramApi.start()) {
            Path folder = scratch.path();
            api.enforceLimits(30, 1, 3);
            api.latency(LATENCY);
            Map<String, String> environment = TestSettings.environment(api, folder);
            AppConfig config = TestSettings.config(environment, folder);

            long seedStart = System.nanoTime();
            try (Database database = Database.open(config.databasePath())) {
                seed(database.jdbi());
            }
            System.out.printf("seeded %,d users, %,d events, %,d RSVPs in %.1f s%n", USERS, EVENTS, RSVPS,
                    (System.nanoTime() - seedStart) / 1e9);

            // Telegram's real limits; the chat router's debug line carries each handler's time.
            Map<String, String> settings = Map.of("DELIVERY_PER_CHAT_PER_SECOND",
                    String.valueOf(DeliveryLimits.telegramDefaults().perChatPerSecond()));
            List<String> jvm = List.of("-Dlogback.configurationFile=" + Path.of(
                    FullPathBenchmark.class.getResource("/bench-gateway-logback.xml").toURI()), STEADY_STATE_JIT);
            try (ProductProcess bot = ProductProcess.start(api, folder, settings, jvm, this::gatewayOutput)) {
                System.out.println(HarnessPriority.lowerTheLoad());
                api.awaitPolls(1);
                long broadcastQueuedAt = System.nanoTime();
                broadcast(bot.database());
                // Until the gateway's JIT has compiled the three paths, as in a bot that has run a while. Twice as
                // many presses: /events and /myevents share the code that writes an update's replies, the press
                // has a transaction of its own, which C2 otherwise compiled only during the press's measurement.
                System.out.println(Warmup.untilCompiled(bot, 3, 30, round -> {
                    for (int i = 0; i < 20; i++) {
                        exchange(api, user -> api.sendText(user, "/events"), "sendMessage");
                        exchange(api, user -> api.sendText(user, "/myevents"), "sendMessage");
                        exchange(api, user -> pressRsvp(api, user), "editMessageText");
                        exchange(api, user -> pressRsvp(api, user), "editMessageText");
                    }
                }));
                System.out.println("| Update | p50 | p90 | p99 | max | handler p50 | handler p99 | handler until "
                        + "replies queued p50 | p99 | handler CPU p50 | handler CPU p99 | handler waiting for a core p90 "
                        + "| p99 | handler waiting for the write turn p90 | p99 |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
                measure(api, bot, "/events", user -> api.sendText(user, "/events"), "sendMessage");
                measure(api, bot, "/myevents", user -> api.sendText(user, "/myevents"), "sendMessage");
                measure(api, bot, "RSVP press (card redrawn)", user -> pressRsvp(api, user), "editMessageText");
                long broadcastSent = api.requests("sendMessage").stream()
                        .filter(request -> request.accepted() && request.chatId() <= BROADCAST).count();
                cpuLines.forEach(line -> System.out.println("  " + line));
                System.out.printf("%nbroadcast messages accepted meanwhile: %,d of %,d; answered 429: %d%s%n",
                        broadcastSent, BROADCAST, api.throttledCount(), throttled(api, broadcastQueuedAt));
            }
        }
    }

    /**
     * Which sends were answered 429, whose, and when: " (sendMessage to a broadcast recipient 12.3 s after the
     * broadcast was queued, ...)", or nothing.
     */
    private static String throttled(FakeTelegramApi api, long broadcastQueuedAt) {
        List<String> sends = api.throttled().stream()
                .map(request -> String.format("%s to %s %.1f s after the broadcast was queued", request.method(),
                        request.chatId() <= BROADCAST ? "a broadcast recipient" : "a measured user",
                        (request.receivedAtNanos() - broadcastQueuedAt) / 1e9))
                .toList();
        return sends.isEmpty() ? "" : " (" + String.join(", ", sends) + ")";
    }

    /** Going, maybe or can't go on the card of a public event, as if the card were open. */
    private int pressRsvp(FakeTelegramApi api, FakeUser user) {
        api.assumeSent(user.chatId(), 1);
        return api.pressButton(user, 1, "rsvp:" + "gmn".charAt(random.nextInt(3)) + ":"
                + publicEvents.get(random.nextInt(publicEvents.size())));
    }

    /** One update from a user beyond the broadcast's recipients, and its reply: for the warm-up. */
    private void exchange(FakeTelegramApi api, Function<FakeUser, Integer> send, String replyMethod)
            throws InterruptedException {
        FakeUser user = new FakeUser(BROADCAST + 1 + random.nextInt(USERS - BROADCAST), "User", "en");
        long sentAt = System.nanoTime();
        send.apply(user);
        api.await(replyMethod, request -> request.chatId() == user.chatId() && request.receivedAtNanos() >= sentAt
                && request.accepted());
        awaitHandlerTime(user.chatId());
    }

    /** Sends updates one at a time, each from a different user, and times each reply. */
    private void measure(FakeTelegramApi api, ProductProcess bot, String name, Function<FakeUser, Integer> send, String replyMethod)
            throws InterruptedException {
        long[] total = new long[MEASURED];
        long[] answered = new long[MEASURED];
        List<HandlerTimes> handlers = new ArrayList<>(MEASURED);
        ProcessCpu cpu = null;
        ProcessCpu own = null;
        MachineCpu machine = null;
        GatewayGc gc = null;
        for (int i = 0; i < WARMUP + MEASURED; i++) {
            if (i == WARMUP) {
                gc = bot.gc();
                cpu = new ProcessCpu(bot.pid());
                own = new ProcessCpu("benchmark process (fake Bot API, load)", ProcessHandle.current().pid());
                machine = new MachineCpu();
            }
            // Users beyond the broadcast's recipients: their replies do not queue behind their own bulk messages.
            FakeUser user = new FakeUser(BROADCAST + 1 + random.nextInt(USERS - BROADCAST), "User", "en");
            handlerTimes.remove(user.chatId());
            long sentAt = System.nanoTime();
            send.apply(user);
            RecordedRequest reply = api.await(replyMethod, request -> request.chatId() == user.chatId()
                    && request.receivedAtNanos() >= sentAt && request.accepted());
            HandlerTimes times = awaitHandlerTime(user.chatId());
            if (i >= WARMUP) {
                total[i - WARMUP] = reply.receivedAtNanos() - sentAt;
                handlers.add(times);
                // A button press is answered before its card is redrawn; answers carry no chat id.
                answered[i - WARMUP] = api.requests("answerCallbackQuery").stream()
                        .filter(request -> request.receivedAtNanos() >= sentAt).mapToLong(RecordedRequest::receivedAtNanos)
                        .min().orElse(sentAt) - sentAt;
            }
            Thread.sleep(PACE.toMillis());
        }
        String used = String.join("; ", cpu.since(), own.since(), machine.since(), gc.since());
        if (replyMethod.equals("editMessageText")) {
            print(name.replace("card redrawn", "answered"), answered, handlers);
        }
        print(name, total, handlers);
        cpuLines.add(name + ": " + used);
    }

    /**
     * One update's handler as the router's debug line tells it, in nanoseconds: its wall clock until its worker is
     * free and until its replies are queued, its CPU time, its waits for a core (negative: the router could not
     * tell, no scheduler statistics on this system) and for the write turn.
     */
    private record HandlerTimes(long wall, long untilQueued, long cpu, long waitingForCore, long waitingForTurn) {
    }

    private static void print(String name, long[] total, List<HandlerTimes> handlers) {
        long[] sortedTotal = sorted(total);
        long[] wall = sorted(handlers, HandlerTimes::wall);
        long[] queued = sorted(handlers, HandlerTimes::untilQueued);
        long[] cpu = sorted(handlers, HandlerTimes::cpu);
        long[] waits = sorted(handlers, HandlerTimes::waitingForCore);
        long[] turns = sorted(handlers, HandlerTimes::waitingForTurn);
        String waited = waits[0] < 0 ? "unknown | unknown"
                : String.format("%.2f ms | %.2f ms", millis(waits, 0.90), millis(waits, 0.99));
        System.out.printf("| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms "
                        + "| %.2f ms | %.2f ms | %s | %.2f ms | %.2f ms |%n",
                name, millis(sortedTotal, 0.50), millis(sortedTotal, 0.90), millis(sortedTotal, 0.99),
                sortedTotal[sortedTotal.length - 1] / 1e6, millis(wall, 0.50), millis(wall, 0.99),
                millis(queued, 0.50), millis(queued, 0.99), millis(cpu, 0.50), millis(cpu, 0.99), waited,
                millis(turns, 0.90), millis(turns, 0.99));
    }

    private HandlerTimes awaitHandlerTime(long chatId) throws InterruptedException {
        // The handler logs its time after it returns, which may be just after the reply reached the fake.
        for (int i = 0; i < 1_000; i++) {
            HandlerTimes times = handlerTimes.remove(chatId);
            if (times != null) {
                return times;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no handler time for chat " + chatId);
    }

    private static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static long[] sorted(List<HandlerTimes> handlers, ToLongFunction<HandlerTimes> figure) {
        return handlers.stream().mapToLong(figure).sorted().toArray();
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted[(int) Math.ceil(quantile * sorted.length) - 1] / 1e6;
    }

    /**
     * The router's debug line carries the handler's time and CPU time (the latter tells what the handler costs
     * whatever else the machine runs); warnings and errors go on to the console.
     */
    private void gatewayOutput(String line) {
        Matcher handled = HANDLED.matcher(line);
        if (handled.matches()) {
            handlerTimes.put(Long.parseLong(handled.group(1)), new HandlerTimes(micros(handled, 2),
                    micros(handled, 3), micros(handled, 4), micros(handled, 5), micros(handled, 6)));
        } else {
            System.err.println("gateway: " + line);
        }
    }

    /** Group {@code group} of the router's line, in microseconds, as nanoseconds. */
    private static long micros(Matcher line, int group) {
        return Long.parseLong(line.group(group)) * 1_000;
    }

    /** A broadcast to the first 20,000 users, queued the way an announcement is. */
    private static void broadcast(Jdbi jdbi) {
        Notifications notifications = new Notifications(new Outbox(jdbi, Clock.systemUTC()), () -> { });
        List<Outbox.Addressed> messages = new ArrayList<>();
        for (long chat = 1; chat <= BROADCAST; chat++) {
            messages.add(new Outbox.Addressed(chat, 0, new OutgoingMessage.Send(chat,
                    "The plenary moves to Hall B.", Keyboard.NONE)));
        }
        jdbi.useTransaction(handle -> notifications.queue(handle, NotificationKind.ANNOUNCEMENT, "benchmark",
                messages));
    }

    private void seed(Jdbi jdbi) throws SQLException {
        Instant now = Instant.now();
        List<String> fullEvents = new ArrayList<>();
        long nowMillis = now.toEpochMilli();
        String[] countries = {"KR", "KZ", "KG", "TJ", "TM", "UZ"};
        jdbi.useTransaction(handle -> {
            for (int cohort = 1; cohort <= 10; cohort++) {
                handle.execute("INSERT INTO cohorts (number, name, starts_on, ends_on, updated_at) VALUES (?, ?, ?, ?, ?)",
                        cohort, "{\"en\":\"Cohort " + cohort + "\"}", "2026-01-01", "2027-12-31", nowMillis);
            }
            PreparedBatch users = handle.prepareBatch("""
                    INSERT INTO users (telegram_id, first_name, telegram_language, role, country, cohort_number,
                                       created_at, updated_at, last_seen_at)
                    VALUES (:id, :name, 'en', :role, :country, :cohort, :now, :now, :now)""");
            for (int id = 1; id <= USERS; id++) {
                int kind = random.nextInt(10);
                users.bind("id", id).bind("name", "User").bind("role", kind == 0 ? "delegate"
                                : kind == 1 ? "supporter" : "guest")
                        .bind("country", kind == 0 ? countries[random.nextInt(6)] : null)
                        .bind("cohort", kind == 1 ? 1 + random.nextInt(10) : null)
                        .bind("now", nowMillis).add();
            }
            users.execute();
            // The cohorts have been running since January: their members were welcomed then. Without this, the
            // first sweep would queue 10,000 welcomes while the commands are measured: a one-off, not the steady
            // state this benchmark is about.
            handle.execute("""
                    INSERT INTO automatic_sent (kind, subject, user_id, sent_at)
                    SELECT 'welcome', cohort_number, telegram_id, ? FROM users WHERE cohort_number IS NOT NULL""",
                    nowMillis);
            PreparedBatch events = handle.prepareBatch("""
                    INSERT INTO events (key, kind, title, description, venue_name, venue_address, time_zone,
                                        local_start, local_end, starts_at, ends_at, capacity, audience, reminders,
                                        updated_at)
                    VALUES (:key, 'session', :title, '{}', '{"*":"Lotte Hotel Seoul"}', '{"*":"30 Eulji-ro"}', 'Asia/Seoul',
                            :localStart, :localEnd, :startsAt, :endsAt, :capacity, :audience, '', :now)""");
            for (int i = 0; i < EVENTS; i++) {
                // From tomorrow on: no reminder falls due while the benchmark runs.
                Instant start = now.plus(Duration.ofHours(30 + random.nextInt(24 * 365)));
                LocalDateTime local = start.atZone(ZoneId.of("Asia/Seoul")).toLocalDateTime();
                // Of eight events, two have no limit, three have free seats, three are full (set below).
                int eighth = random.nextInt(8);
                Integer capacity = eighth < 2 ? null : 500 + random.nextInt(1000);
                if (eighth >= 5) {
                    fullEvents.add("event-" + i);
                }
                int audience = random.nextInt(10);
                String audienceText = audience < 7 ? "public" : audience < 9 ? "delegates"
                        : "cohort:" + (1 + random.nextInt(10));
                if (audienceText.equals("public")) {
                    publicEvents.add("event-" + i);
                }
                events.bind("key", "event-" + i)
                        .bind("title", "{\"en\":\"Session " + i + "\",\"ru\":\"Сессия " + i + "\",\"ko\":\"세션 " + i
                                + "\"}")
                        .bind("localStart", local.toString())
                        .bind("localEnd", local.plusHours(2).toString())
                        .bind("startsAt", start.toEpochMilli())
                        .bind("endsAt", start.plus(Duration.ofHours(2)).toEpochMilli())
                        .bind("capacity", capacity)
                        .bind("audience", audienceText)
                        .bind("now", nowMillis).add();
            }
            events.execute();
            // Plain JDBC batches: half a million rows through Jdbi's binding would take most of the run.
            try (PreparedStatement rsvps = handle.getConnection().prepareStatement("""
                    INSERT INTO rsvps (event_key, user_id, status, seq, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                Set<Long> pairs = new HashSet<>();
                String[] statuses = {"going", "going", "going", "maybe", "declined", "waitlisted"};
                int seq = 0;
                while (pairs.size() < RSVPS) {
                    int event = random.nextInt(EVENTS);
                    int user = 1 + random.nextInt(USERS);
                    if (pairs.add((long) event * USERS + user)) {
                        rsvps.setString(1, "event-" + event);
                        rsvps.setInt(2, user);
                        rsvps.setString(3, statuses[random.nextInt(statuses.length)]);
                        rsvps.setInt(4, ++seq);
                        rsvps.setLong(5, nowMillis);
                        rsvps.setLong(6, nowMillis);
                        rsvps.addBatch();
                        if (seq % 10_000 == 0) {
                            rsvps.executeBatch();
                        }
                    }
                }
                rsvps.executeBatch();
            }
            // As the bot keeps them: a full event's capacity is its people going, and only a full event has a
            // waitlist. Random answers would leave people waiting for free seats, whom the first Going answer
            // to each event would move up, with a notice each, instead of the one press measured.
            PreparedBatch full = handle.prepareBatch("""
                    UPDATE events SET capacity = (SELECT count(*) FROM rsvps
                                                  WHERE event_key = events.key AND status = 'going')
                    WHERE key = :key""");
            fullEvents.forEach(key -> full.bind("key", key).add());
            full.execute();
            handle.execute("""
                    UPDATE rsvps SET status = 'maybe'
                    WHERE status = 'waitlisted' AND event_key IN (
                        SELECT key FROM events WHERE capacity IS NULL OR capacity > (SELECT count(*) FROM rsvps g
                                                                 WHERE g.event_key = events.key AND g.status = 'going'))""");
        });
        jdbi.useHandle(handle -> handle.execute("ANALYZE"));
    }
}
