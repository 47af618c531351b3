package org.forumgateway.bench;

import org.forumgateway.bot.EventViews;
import org.forumgateway.cohorts.CohortGreetings;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.config.TelegramSettings;
import org.forumgateway.delivery.DeliveryEngine;
import org.forumgateway.delivery.DeliveryLimits;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.events.EventService;
import org.forumgateway.events.WeeklyDigest;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.reminders.AutomaticQueue;
import org.forumgateway.reminders.AutomaticSweep;
import org.forumgateway.reminders.AutomationDao;
import org.forumgateway.reminders.EventReminders;
import org.forumgateway.reminders.Readers;
import org.forumgateway.reminders.ReminderAlarm;
import org.forumgateway.rsvp.DeadlineNudges;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.scheduling.Scheduling;
import org.forumgateway.storage.Database;
import org.forumgateway.telegram.TelegramBot;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.UserService;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reminders end to end with the real reminder alarm and sweep (as the application wires them), outbox, delivery
 * engine and Telegram client, against the fake Bot API (200 messages/s, 1/s per chat, 40 ms latency), the bot
 * configured for 200/s: first 130 reminders due 450 ms apart (the first 10 to warm up, not counted), at instants that fall anywhere within a second
 * (lateness at low load), then 10,000 due in the same minute. Prints how late they arrived after their due time
 * (percentiles), and how many were lost or duplicated. Run: see the README.
 */
public final class ReminderBenchmark {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final int CROWD = 10_000;
    /** The first solo reminders warm the code paths up and are left out of the figures. */
    private static final int WARM_UP = 10;
    private static final int SOLO = WARM_UP + 120;
    private static final Duration SOLO_SPACING = Duration.ofMillis(450);
    private static final double RATE = 200;

    public static void main(String[] args) throws Exception {
        try (ScratchFolder folder = ScratchFolder.create("forum-gateway-reminder-bench")) {
            run(folder.path());
        }
    }

    private static void run(Path folder) throws Exception {
        Clock clock = Clock.systemUTC();
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(25);
        Map<String, Instant> due = new HashMap<>();
        StringBuilder yaml = new StringBuilder("events:\n");
        for (int i = 1; i <= SOLO; i++) {
            Instant soloDue = base.plus(SOLO_SPACING.multipliedBy(i));
            due.put("solo-" + i, soloDue);
            yaml.append(event("solo-" + i, soloDue));
        }
        Instant crowdDue = base.plus(SOLO_SPACING.multipliedBy(SOLO)).plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        due.put("crowd", crowdDue);
        yaml.append(event("crowd", crowdDue));
        Path eventsFile = Files.writeString(folder.resolve("events.yaml"), yaml);

        try (FakeTelegramApi api = FakeTelegramApi.start(); Database database = Database.open(folder.resolve("bench.db"))) {
            api.enforceLimits(RATE, 1, 3);
            api.latency(Duration.ofMillis(40));
            EventService events = new EventService(database.jdbi(), eventsFile, clock);
            events.reload();
            seed(database, clock);
            TelegramBot telegram = new TelegramBot(new TelegramSettings(FakeTelegramApi.TOKEN, URI.create(api.url()), 1), 64);
            Outbox outbox = new Outbox(database.jdbi(), clock);
            DeliveryEngine engine = new DeliveryEngine(outbox, telegram.transport(),
                    DeliveryLimits.telegramDefaults().withRates(RATE, 1, 20), clock);
            engine.start();
            QuietHours night = new QuietHours(22 * 60, 8 * 60);
            UserService users = new UserService(database.jdbi(), Set.of(), clock);
            RsvpService rsvps = new RsvpService(database.jdbi(), clock);
            AutomationDao automation = new AutomationDao(database.jdbi(), night);
            AutomaticQueue queue = new AutomaticQueue(database.jdbi(), new Notifications(outbox, engine::wake));
            Readers readers = new Readers(MessageCatalog.load(Path.of("messages"), "en", List.of()), SEOUL);
            EventViews views = new EventViews(SEOUL, "en", clock);
            EventReminders reminders = new EventReminders(automation, queue, readers, views, rsvps, clock);
            AutomaticSweep sweep = new AutomaticSweep(List.of(reminders,
                    new DeadlineNudges(automation, queue, readers, views, rsvps, users, clock, Duration.ofHours(24)),
                    new CohortGreetings(automation, queue, readers, new CohortService(database.jdbi()), clock),
                    new WeeklyDigest(automation, queue, readers, views, events, rsvps, users, clock)));
            long nanoBase = System.nanoTime();
            Instant wallBase = Instant.now();
            Scheduling scheduling = Scheduling.start(clock);
            new ReminderAlarm(automation, reminders, sweep, scheduling, clock).start(AutomaticSweep.PERIOD);

            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (accepted(api).size() < CROWD + SOLO && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            scheduling.close();
            engine.stop(2_000);
            telegram.close();

            Map<Long, Integer> perChat = new HashMap<>();
            List<RecordedRequest> accepted = accepted(api);
            accepted.forEach(request -> perChat.merge(request.chatId(), 1, Integer::sum));
            double[] solo = accepted.stream().filter(request -> request.chatId() > WARM_UP && request.chatId() <= SOLO)
                    .mapToDouble(request -> lateness(request, due.get("solo-" + request.chatId()), nanoBase, wallBase))
                    .sorted().toArray();
            List<Long> late = accepted.stream().filter(request -> request.chatId() > WARM_UP && request.chatId() <= SOLO
                            && lateness(request, due.get("solo-" + request.chatId()), nanoBase, wallBase) > 1)
                    .map(RecordedRequest::chatId).toList();
            System.out.printf("low load: started %.1f s before the first measured one was due; later than 1 s: %s%n",
                    Duration.between(wallBase, due.get("solo-" + (WARM_UP + 1))).toMillis() / 1e3, late);
            double[] crowd = accepted.stream().filter(request -> request.chatId() > SOLO)
                    .mapToDouble(request -> lateness(request, crowdDue, nanoBase, wallBase)).sorted().toArray();
            System.out.printf("low load: %d reminders, lateness (due to accepted by Telegram): p50 %.3f s, p90 %.3f s,"
                            + " p99 %.3f s, max %.3f s, min %.3f s%n", solo.length, percentile(solo, 50),
                    percentile(solo, 90), percentile(solo, 99), solo[solo.length - 1], solo[0]);
            System.out.printf("10,000 due in the same minute: first after %.2f s, median %.2f s, last after %.2f s"
                            + " (%.0f reminders/s)%n", crowd[0], crowd[crowd.length / 2], crowd[crowd.length - 1],
                    crowd.length / (crowd[crowd.length - 1] - crowd[0]));
            long lost = CROWD + SOLO - perChat.size();
            long duplicated = perChat.values().stream().filter(count -> count > 1).count();
            System.out.printf("accepted %,d · lost %d · duplicated %d · answered 429: %d%n", accepted.size(), lost,
                    duplicated, api.throttledCount());
        }
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static List<RecordedRequest> accepted(FakeTelegramApi api) {
        return api.requests("sendMessage").stream().filter(RecordedRequest::accepted).toList();
    }

    private static double lateness(RecordedRequest request, Instant due, long nanoBase, Instant wallBase) {
        Instant received = wallBase.plusNanos(request.receivedAtNanos() - nanoBase);
        return Duration.between(due, received).toNanos() / 1e9;
    }

    /** An event whose one-hour reminder is due at {@code reminderDue}. */
    private static String event(String key, Instant reminderDue) {
        LocalDateTime start = LocalDateTime.ofInstant(reminderDue.plus(Duration.ofHours(1)), SEOUL);
        return """
                  - key: %s
                    kind: session
                    title: {en: "Session %s"}
                    timezone: Asia/Seoul
                    start: %s
                    end: %s
                    reminders: [1h]
                """.formatted(key, key, start, start.plusHours(1));
    }

    /** Users 1-130 answered one solo event each, the others the crowd event; quiet hours off so none waits. */
    private static void seed(Database database, Clock clock) {
        long now = clock.millis();
        database.jdbi().useTransaction(handle -> {
            PreparedBatch users = handle.prepareBatch("""
                    INSERT INTO users (telegram_id, first_name, telegram_language, quiet_start, quiet_end, created_at,
                                       updated_at, last_seen_at)
                    VALUES (:id, :name, 'en', -1, -1, :now, :now, :now)""");
            PreparedBatch rsvps = handle.prepareBatch("""
                    INSERT INTO rsvps (event_key, user_id, status, seq, created_at, updated_at)
                    VALUES (:event, :id, 'going', :id, :now, :now)""");
            for (long id = 1; id <= CROWD + SOLO; id++) {
                users.bind("id", id).bind("name", "User " + id).bind("now", now).add();
                rsvps.bind("event", id <= SOLO ? "solo-" + id : "crowd").bind("id", id).bind("now", now).add();
            }
            users.execute();
            rsvps.execute();
        });
    }
}
