package org.forumgateway.bench;

import org.forumgateway.announcements.AnnouncementReporter;
import org.forumgateway.announcements.AnnouncementService;
import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.api.ApiKeys;
import org.forumgateway.api.PersonLinks;
import org.forumgateway.audit.AuditLog;
import org.forumgateway.bot.BotLinks;
import org.forumgateway.bot.EventViews;
import org.forumgateway.bot.BotServices;
import org.forumgateway.bot.ChatRouter;
import org.forumgateway.calendar.CalendarFeeds;
import org.forumgateway.calendar.IcsWriter;
import org.forumgateway.chat.ChatRef;
import org.forumgateway.chat.Incoming;
import org.forumgateway.chat.Messenger;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.config.AppConfig;
import org.forumgateway.config.ConfigLoader;
import org.forumgateway.conversation.ConversationStates;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.events.ScheduleReloader;
import org.forumgateway.rsvp.PromotionNotices;
import org.forumgateway.events.EventService;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.invites.InviteService;
import org.forumgateway.rsvp.AttendanceExport;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.scheduling.Scheduling;
import org.forumgateway.storage.Database;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.UserService;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * How long the bot takes to handle /events, /myevents and an RSVP press with a large database: 100,000 users,
 * 1,000 events and 500,000 RSVPs in SQLite. It measures the whole handling of an update (recording the user,
 * the queries, rendering the localized reply) with the real services; the reply goes to a counting messenger,
 * so Telegram's network time is not part of it. Run: see the README (Benchmarks).
 */
public final class EventsBenchmark {
    private static final int USERS = 100_000;
    private static final int EVENTS = 1_000;
    private static final int RSVPS = 500_000;
    private static final int WARMUP = 1_000;
    private static final int MEASURED = 3_000;
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final Scheduling SCHEDULING = Scheduling.start(Clock.fixed(NOW, java.time.ZoneOffset.UTC));

    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory("forum-gateway-bench");
        Random random = new Random(42);
        Clock clock = Clock.fixed(NOW, java.time.ZoneOffset.UTC);
        Map<String, String> environment = new HashMap<>();
        environment.put("TELEGRAM_BOT_TOKEN", "123456789:AAFakeTokenForForumGatewayTests_0123");
        environment.put("DATABASE_PATH", folder.resolve("bench.db").toString());
        environment.put("EVENTS_FILE", folder.resolve("none.yaml").toString());
        AppConfig config = ConfigLoader.load(environment, Path.of("").toAbsolutePath());

        long seedStart = System.nanoTime();
        Database database = Database.open(config.databasePath());
        seed(database.jdbi(), random);
        System.out.printf("seeded %,d users, %,d events, %,d RSVPs in %.1f s%n", USERS, EVENTS, RSVPS,
                (System.nanoTime() - seedStart) / 1e9);

        AtomicLong sent = new AtomicLong();
        Messenger counting = message -> sent.incrementAndGet();
        ChatRouter router = router(config, database.jdbi(), clock, counting);

        report("/events", router, id -> command(id, "events"), random);
        report("/myevents", router, id -> command(id, "myevents"), random);
        String[] choices = {"g", "m", "n"};
        report("RSVP press", router, id -> new Incoming.ButtonPress(new ChatRef(id, true), profile(id), "cb",
                Optional.of(1), "rsvp:" + choices[random.nextInt(3)] + ":event-" + random.nextInt(EVENTS)), random);
        System.out.printf("messages rendered: %,d%n", sent.get());
        SCHEDULING.close();
    }

    private static void report(String name, ChatRouter router, IntFunction<Incoming> update, Random random) {
        for (int i = 0; i < WARMUP; i++) {
            router.handle(update.apply(1 + random.nextInt(USERS)));
        }
        long[] nanos = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            Incoming incoming = update.apply(1 + random.nextInt(USERS));
            long start = System.nanoTime();
            router.handle(incoming);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%-11s n=%,d  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n", name, MEASURED,
                millis(nanos, 0.50), millis(nanos, 0.90), millis(nanos, 0.99), nanos[MEASURED - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted[(int) Math.ceil(quantile * sorted.length) - 1] / 1e6;
    }

    private static Incoming command(long id, String name) {
        return new Incoming.Command(new ChatRef(id, true), profile(id), name, "");
    }

    private static TelegramProfile profile(long id) {
        return new TelegramProfile(id, "User " + id, Optional.empty(), Optional.empty(),
                Optional.of(id % 3 == 0 ? "ru" : id % 3 == 1 ? "ko" : "en"));
    }

    private static ChatRouter router(AppConfig config, Jdbi jdbi, Clock clock, Messenger messenger) {
        MessageCatalog catalog = MessageCatalog.load(config.messagesDir(), config.defaultLocale(),
                config.supportedLocales());
        UserService users = new UserService(jdbi, Set.of(), clock);
        EventService events = new EventService(jdbi, config.schedule().eventsFile(), clock);
        Outbox outbox = new Outbox(jdbi, clock);
        Notifications notifications = new Notifications(outbox, () -> { });
        RsvpService rsvps = new RsvpService(jdbi, clock, new PromotionNotices(users, events, catalog, notifications,
                clock));
        CohortService cohorts = new CohortService(jdbi);
        AuditLog audit = new AuditLog(jdbi, clock);
        AudienceResolver audiences = new AudienceResolver(jdbi, catalog, Set.of(), new QuietHours(22 * 60, 8 * 60),
                config.defaultTimeZone());
        AnnouncementService announcements = new AnnouncementService(jdbi, outbox, notifications, audiences, audit, clock);
        BotServices services = new BotServices(users, events, rsvps, cohorts,
                new InviteService(jdbi, clock, Duration.ofDays(14), 50), new CalendarFeeds(jdbi, clock),
                new IcsWriter("localhost"), new AttendanceExport(jdbi), announcements, audiences,
                new ConversationStates(jdbi, clock), audit, new ApiKeys(jdbi, Map.of(), clock),
                new PersonLinks(jdbi, clock, Duration.ofDays(14)));
        EventViews views = new EventViews(config.defaultTimeZone(), config.defaultLocale(), clock);
        ScheduleReloader reloader = new ScheduleReloader(jdbi, events, rsvps, audiences, notifications, catalog, views);
        AnnouncementReporter reporter = new AnnouncementReporter(announcements, cohorts, users, catalog, messenger,
                SCHEDULING, clock);
        return new ChatRouter(config, catalog, services, new BotLinks(Optional.of("bench_bot"),
                URI.create("http://localhost:8080"), true), reloader, reporter, views, messenger, clock);
    }

    private static void seed(Jdbi jdbi, Random random) {
        long now = NOW.toEpochMilli();
        String[] countries = {"KR", "KZ", "KG", "TJ", "TM", "UZ"};
        jdbi.useTransaction(handle -> {
            for (int cohort = 1; cohort <= 10; cohort++) {
                handle.execute("INSERT INTO cohorts (number, name, starts_on, ends_on, updated_at) VALUES (?, ?, ?, ?, ?)",
                        cohort, "{\"en\":\"Cohort " + cohort + "\"}", "2026-01-01", "2026-12-31", now);
            }
            PreparedBatch users = handle.prepareBatch("""
                    INSERT INTO users (telegram_id, first_name, telegram_language, role, country, cohort_number,
                                       created_at, updated_at, last_seen_at)
                    VALUES (:id, :name, 'en', :role, :country, :cohort, :now, :now, :now)""");
            for (int id = 1; id <= USERS; id++) {
                int kind = random.nextInt(10);
                users.bind("id", id).bind("name", "User " + id)
                        .bind("role", kind == 0 ? "delegate" : kind == 1 ? "supporter" : "guest")
                        .bind("country", kind == 0 ? countries[random.nextInt(6)] : null)
                        .bind("cohort", kind == 1 ? 1 + random.nextInt(10) : null)
                        .bind("now", now).add();
            }
            users.execute();
            PreparedBatch events = handle.prepareBatch("""
                    INSERT INTO events (key, kind, title, description, venue_name, venue_address, time_zone,
                                        local_start, local_end, starts_at, ends_at, capacity, audience, reminders,
                                        updated_at)
                    VALUES (:key, 'session', :title, '{}', 'Lotte Hotel Seoul', '30 Eulji-ro', 'Asia/Seoul',
                            :localStart, :localEnd, :startsAt, :endsAt, :capacity, :audience, '1440m,60m', :now)""");
            for (int i = 0; i < EVENTS; i++) {
                Instant start = NOW.plus(Duration.ofHours(1 + random.nextInt(24 * 365)));
                java.time.LocalDateTime local = start.atZone(java.time.ZoneId.of("Asia/Seoul")).toLocalDateTime();
                int audience = random.nextInt(10);
                events.bind("key", "event-" + i)
                        .bind("title", "{\"en\":\"Session " + i + "\",\"ru\":\"Сессия " + i + "\",\"ko\":\"세션 " + i + "\"}")
                        .bind("localStart", local.toString())
                        .bind("localEnd", local.plusHours(2).toString())
                        .bind("startsAt", start.toEpochMilli())
                        .bind("endsAt", start.plus(Duration.ofHours(2)).toEpochMilli())
                        .bind("capacity", random.nextInt(4) == 0 ? null : 500 + random.nextInt(1000))
                        .bind("audience", audience < 7 ? "public" : audience < 9 ? "delegates"
                                : "cohort:" + (1 + random.nextInt(10)))
                        .bind("now", now).add();
            }
            events.execute();
            PreparedBatch rsvps = handle.prepareBatch("""
                    INSERT OR IGNORE INTO rsvps (event_key, user_id, status, seq, created_at, updated_at)
                    VALUES (:event, :user, :status, :seq, :now, :now)""");
            Set<Long> pairs = new HashSet<>();
            String[] statuses = {"going", "going", "going", "maybe", "declined", "waitlisted"};
            int seq = 0;
            while (pairs.size() < RSVPS) {
                int event = random.nextInt(EVENTS);
                int user = 1 + random.nextInt(USERS);
                if (pairs.add((long) event * USERS + user)) {
                    rsvps.bind("event", "event-" + event).bind("user", user)
                            .bind("status", statuses[random.nextInt(statuses.length)]).bind("seq", ++seq)
                            .bind("now", now).add();
                }
                if (rsvps.size() >= 10_000) {
                    rsvps.execute();
                }
            }
            if (rsvps.size() > 0) {
                rsvps.execute();
            }
        });
        jdbi.useHandle(handle -> handle.execute("ANALYZE"));
    }
}
