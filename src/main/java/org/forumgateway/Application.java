package org.forumgateway;

import org.forumgateway.announcements.AnnouncementQueueing;
import org.forumgateway.announcements.AnnouncementReporter;
import org.forumgateway.announcements.AnnouncementPins;
import org.forumgateway.announcements.RecallStragglers;
import org.forumgateway.announcements.AnnouncementService;
import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.api.ApiKeys;
import org.forumgateway.api.ApiMessages;
import org.forumgateway.api.GatewayApi;
import org.forumgateway.api.PersonLinks;
import org.forumgateway.audit.AuditLog;
import org.forumgateway.bot.AnnouncementViews;
import org.forumgateway.bot.BotLinks;
import org.forumgateway.bot.BotServices;
import org.forumgateway.bot.ChatRouter;
import org.forumgateway.bot.EventViews;
import org.forumgateway.calendar.CalendarFeeds;
import org.forumgateway.calendar.IcsWriter;
import org.forumgateway.cohorts.CohortGreetings;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.events.EventFileException;
import org.forumgateway.events.EventService;
import org.forumgateway.events.ReloadReport;
import org.forumgateway.events.ScheduleReloader;
import org.forumgateway.events.WeeklyDigest;
import org.forumgateway.groups.BotGroup;
import org.forumgateway.groups.BotGroups;
import org.forumgateway.invites.InviteService;
import org.forumgateway.rsvp.Admission;
import org.forumgateway.rsvp.AttendanceExport;
import org.forumgateway.reminders.AutomaticQueue;
import org.forumgateway.reminders.OutdatedReminders;
import org.forumgateway.reminders.AutomaticSweep;
import org.forumgateway.reminders.AutomationDao;
import org.forumgateway.reminders.EventReminders;
import org.forumgateway.reminders.Readers;
import org.forumgateway.reminders.ReminderAlarm;
import org.forumgateway.rsvp.DeadlineNudges;
import org.forumgateway.rsvp.PromotionNotices;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.scheduling.Scheduling;
import org.forumgateway.chat.Messenger;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.config.AppConfig;
import org.forumgateway.config.ConfigException;
import org.forumgateway.conversation.ConversationStates;
import org.forumgateway.delivery.ChatBlocks;
import org.forumgateway.delivery.DeliveryEngine;
import org.forumgateway.delivery.ExpiredMessages;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.OutboxMessenger;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.metrics.Metrics;
import org.forumgateway.metrics.MetricsEndpoint;
import org.forumgateway.storage.Backups;
import org.forumgateway.storage.Database;
import org.forumgateway.storage.KeptValues;
import org.forumgateway.telegram.ReceivingHealth;
import org.forumgateway.telegram.TelegramBot;
import org.forumgateway.telegram.TelegramHealth;
import org.forumgateway.telegram.Webhook;
import org.forumgateway.telegram.WebhookSecrets;
import org.forumgateway.telegram.UpdateInbox;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.AccessChanged;
import org.forumgateway.users.UserService;
import org.forumgateway.bot.ChatMenuDao;
import org.forumgateway.users.ExternalIdDao;
import org.forumgateway.users.PersonErasure;
import org.forumgateway.web.CalendarFeedEndpoint;
import org.forumgateway.web.HealthEndpoint;
import org.forumgateway.web.Method;
import org.forumgateway.web.ReusedCheck;
import org.forumgateway.web.WebServer;
import org.forumgateway.webhooks.AdminChat;
import org.forumgateway.webhooks.Webhooks;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The composition root: wires every part from a configuration, and owns their shutdown. {@link Main} runs it
 * for real; end-to-end tests run exactly the same wiring against a fake Bot API.
 */
public final class Application implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Application.class);
    /** How long in-flight updates may take to finish on shutdown; with the other waits, a stop ends within 15 s. */
    private static final long SHUTDOWN_GRACE_MILLIS = 5_000;
    /** Then how long messages on the wire may take to be answered; what is still queued waits for the next start. */
    private static final long DELIVERY_GRACE_MILLIS = 2_500;
    /** First how long an announcement being queued may take to finish its chunk (tens of milliseconds). */
    private static final long QUEUEING_GRACE_MILLIS = 500;
    /** How long /healthz reuses the database's write probe: at most one lock probe per two seconds, however asked. */
    private static final Duration WRITE_PROBE_REUSE = Duration.ofSeconds(2);
    /** How long every delivery round must have failed before /healthz says so. */
    private static final Duration DELIVERY_FAILING = Duration.ofSeconds(30);

    private final Database database;
    private final TelegramBot telegram;
    private final DeliveryEngine delivery;
    private final Scheduling scheduling;
    private final Optional<WebServer> web;
    private final Webhooks webhooks;
    private final ApiMessages apiMessages;
    private final AnnouncementQueueing announcementQueueing;

    private Application(Database database, TelegramBot telegram, DeliveryEngine delivery, Scheduling scheduling,
                        Optional<WebServer> web, Webhooks webhooks, ApiMessages apiMessages,
                        AnnouncementQueueing announcementQueueing) {
        this.database = database;
        this.telegram = telegram;
        this.delivery = delivery;
        this.scheduling = scheduling;
        this.web = web;
        this.webhooks = webhooks;
        this.apiMessages = apiMessages;
        this.announcementQueueing = announcementQueueing;
    }

    /**
     * Opens the database, binds the HTTP port and starts polling.
     *
     * @throws org.forumgateway.config.ConfigException when a setting turns out to be unusable
     */
    public static Application start(AppConfig config, Clock clock) {
        return start(config, clock, refused -> log.error("The bot cannot receive updates until it is restarted "
                + "with a valid token"));
    }

    /**
     * Opens the database, binds the HTTP port and starts polling.
     *
     * @param onTokenRefused called when the token is refused after start-up went on without the Bot API
     * @throws org.forumgateway.config.ConfigException when a setting turns out to be unusable, the token included
     */
    public static Application start(AppConfig config, Clock clock, Consumer<ConfigException> onTokenRefused) {
        MessageCatalog catalog = MessageCatalog.load(config.messagesDir(), config.defaultLocale(),
                config.supportedLocales());
        Database database = Database.openAlone(config.databasePath(), config.databaseBusyTimeout());
        try {
            return start(config, clock, onTokenRefused, catalog, database);
        } catch (RuntimeException e) {
            // The port taken, say: the next try, or a test's next bot, finds the database and its lock free. (What
            // start-up made before the failure, threads included, ends with the process, as on any failed start.)
            database.close();
            throw e;
        }
    }

    private static Application start(AppConfig config, Clock clock, Consumer<ConfigException> onTokenRefused,
                                     MessageCatalog catalog, Database database) {
        Jdbi jdbi = database.jdbi();
        AppConfig.Schedule schedule = config.schedule();

        Metrics metrics = Metrics.create();
        TelegramBot telegram = new TelegramBot(config.telegram(), config.delivery().maxInFlight(), clock,
                metrics.telegramErrors());
        Outbox outbox = new Outbox(jdbi, clock);
        metrics.outboxPending(outbox::unsettledCount);
        UserService users = new UserService(jdbi, config.adminIds(), clock);
        // The engine publishes webhooks (user.blocked, delivery.failed) and the webhooks alert administrators through
        // the one way in, which wakes the engine: the wake is bound once the engine exists.
        AtomicReference<Runnable> wakeDelivery = new AtomicReference<>(() -> { });
        AtomicReference<Runnable> wakeForReply = new AtomicReference<>(() -> { });
        Notifications notifications = new Notifications(outbox, () -> wakeDelivery.get().run(),
                () -> wakeForReply.get().run());
        Webhooks webhooks = Webhooks.create(config.webhooks(), jdbi, clock,
                new AdminChat(config.adminIds(), users, catalog, config.defaultTimeZone(), notifications),
                metrics::webhookAttempted);
        DeliveryEngine delivery = new DeliveryEngine(outbox, metrics.countingDeliveries(telegram.transport()),
                config.delivery(), clock, webhooks.events(), new AnnouncementPins(jdbi, notifications),
                new RecallStragglers(jdbi, notifications));
        wakeDelivery.set(delivery::wake);
        wakeForReply.set(delivery::wakeForReply);
        Messenger messenger = new OutboxMessenger(jdbi, notifications);
        Scheduling scheduling = Scheduling.start(clock);

        AppConfig.Automation automation = config.automation();
        QuietHours defaultQuiet = new QuietHours(automation.quietStart(), automation.quietEnd());
        BotGroups groups = new BotGroups(jdbi, clock);
        AudienceResolver audiences = new AudienceResolver(jdbi, catalog, config.adminIds(), defaultQuiet,
                config.defaultTimeZone(), groups);
        EventService events = new EventService(jdbi, schedule.eventsFile(), clock, automation.defaultReminders());
        RsvpService rsvps = new RsvpService(jdbi, clock, new PromotionNotices(users, events, catalog, notifications,
                clock, audiences::quietUntil), webhooks.events(),
                Admission.byAudience(users));
        EventViews views = new EventViews(config.defaultTimeZone(), catalog.defaultLocale(), clock);
        CohortService cohorts = new CohortService(jdbi);
        CalendarFeeds feeds = new CalendarFeeds(jdbi, clock, config.adminIds());
        KeptValues kept = new KeptValues(jdbi, clock);
        IcsWriter ics = new IcsWriter(IcsWriter.uidDomain(kept, events.anyLoaded(), schedule.publicUrl().getHost()),
                config.defaultTimeZone(), clock);
        AuditLog audit = new AuditLog(jdbi, clock);
        // A broadcast is queued in chunks; after each, the engine gets to claim rows before the next is written.
        AnnouncementQueueing announcementQueueing = new AnnouncementQueueing();
        AnnouncementService announcements = new AnnouncementService(jdbi, outbox, notifications, audiences, audit,
                clock, webhooks.events(), () -> delivery.wakeAndAwaitRound(Duration.ofMillis(50)), announcementQueueing);
        ApiKeys apiKeys = new ApiKeys(jdbi, outbox, notifications, config.gateway().apiKeys(), clock);
        AccessChanged seatsForNewlyEligible = rsvps::fillSeatsWaitedBy;
        PersonLinks personLinks = new PersonLinks(jdbi, clock, schedule.inviteValidity(), webhooks.events(),
                seatsForNewlyEligible);
        ChatBlocks blocks = new ChatBlocks(outbox, webhooks.events(), clock);
        InviteService invites = new InviteService(jdbi, clock, config.defaultTimeZone(), schedule.inviteValidity(),
                schedule.inviteMaxUses(), seatsForNewlyEligible);
        ConversationStates conversations = new ConversationStates(jdbi, clock);
        // Every owner of a table that names a person. The other systems are told first, while the ids they know the
        // person by are still there; the outbox's messages to them are cancelled before a chat menu of their own is
        // removed from Telegram, which is queued last.
        ChatMenuDao chatMenus = new ChatMenuDao();
        PersonErasure erasure = new PersonErasure(jdbi, List.of(webhooks.events()::userErased, rsvps::forget,
                invites::forget, feeds::forget,
                conversations::forget, AutomationDao::forget, new ExternalIdDao()::forget, personLinks::forget,
                announcements::forget, audit::forget, outbox::forgetRecipient, (handle, id) -> {
                    if (chatMenus.forget(handle, id)) {
                        notifications.reply(handle, new OutgoingMessage.CommandMenu(id, List.of()));
                    }
                }));
        BotServices services = new BotServices(users, events, rsvps, cohorts, invites, feeds, ics,
                new AttendanceExport(jdbi, config.adminIds()), announcements, audiences, conversations, audit,
                apiKeys, personLinks, groups, blocks, erasure);

        Optional<WebServer> web = config.httpPort().map(port -> WebServer.bind(config.httpHost(), port)
                .get(HealthEndpoint.PATH, new HealthEndpoint(healthChecks(database, telegram, delivery, clock)))
                .get(CalendarFeedEndpoint.ROUTE, new CalendarFeedEndpoint(feeds, ics, catalog))
                .get(MetricsEndpoint.PATH, new MetricsEndpoint(metrics, config.metrics().bearerToken()))
                .onAnswered(metrics::httpAnswered));
        Optional<Webhook> webhook = config.telegram().webhookUrl().map(url -> new Webhook(url,
                new WebhookSecrets(kept).secret(config.telegram().webhookSecret())));
        // The HTTP server runs whenever a webhook is configured: the config refuses one without HTTP_PORT.
        webhook.ifPresent(hook -> web.orElseThrow().route(Method.POST, Webhook.PATH, Webhook.MAX_BODY_BYTES,
                telegram.receiveByWebhook(hook)));
        ApiMessages apiMessages = new ApiMessages(jdbi, outbox, notifications, audiences, audit, scheduling,
                catalog.defaultLocale(), clock, webhooks.events(), blocks);
        GatewayApi gatewayApi = new GatewayApi(config, jdbi, apiKeys, apiMessages, audiences, personLinks, cohorts,
                users, catalog, clock, System::nanoTime, erasure, audit);
        // Deep links need the bot's username, known once the Bot API has answered getMe: the moment /healthz says
        // Telegram is reachable, before the chat router is built.
        web.ifPresent(server -> gatewayApi.mount(server, payload ->
                new BotLinks(telegram.username(), schedule.publicUrl(), web.isPresent()).deepLink(payload)));
        Application application = new Application(database, telegram, delivery, scheduling, web, webhooks,
                apiMessages, announcementQueueing);
        try {
            web.ifPresent(WebServer::start);
            delivery.start();
            webhooks.start();
            ScheduleReloader reloader = new ScheduleReloader(jdbi, events, rsvps, audiences, notifications, catalog,
                    views);
            reloader.inEachReload(new OutdatedReminders(notifications, clock));
            loadSchedule(reloader);
            AnnouncementViews announcementViews = new AnnouncementViews(cohorts, catalog.defaultLocale(),
                    chat -> groups.current(chat).map(BotGroup::name));
            AnnouncementReporter reporter = new AnnouncementReporter(announcements, announcementViews, users, catalog,
                    messenger, scheduling, config.delivery(), clock, config.defaultTimeZone());
            reporter.start();
            apiMessages.start();
            delivery.whenBulkDrained(reporter::reportSoon);
            delivery.whenBulkDrained(apiMessages::finishSoon);
            apiKeys.recoverShownKeys();
            scheduling.every("api-key-messages", Duration.ofSeconds(2), apiKeys::forgetShownKeys);
            ExpiredMessages expired = new ExpiredMessages(outbox, clock);
            scheduling.every("expired-messages", ExpiredMessages.PERIOD, expired::cancelExpired);
            AutomationDao automationDao = new AutomationDao(jdbi, defaultQuiet, config.adminIds());
            AutomaticQueue automaticQueue = new AutomaticQueue(jdbi, notifications);
            Readers readers = new Readers(catalog, config.defaultTimeZone());
            EventReminders reminders = new EventReminders(automationDao, automaticQueue, readers, views, rsvps, clock);
            AutomaticSweep sweep = new AutomaticSweep(List.of(reminders,
                    new DeadlineNudges(automationDao, automaticQueue, readers, views, rsvps, users, clock,
                            automation.deadlineNudge()),
                    new CohortGreetings(automationDao, automaticQueue, readers, cohorts, clock),
                    new WeeklyDigest(automationDao, automaticQueue, readers, views, events, rsvps, users, clock)));
            ReminderAlarm reminderAlarm = new ReminderAlarm(automationDao, reminders, sweep, scheduling, clock);
            reloader.afterEachReload(reminderAlarm::arm);
            reminderAlarm.start(AutomaticSweep.PERIOD);
            Backups backups = new Backups(database, automation.backupFolder(), automation.backupKeep(), clock,
                    config.defaultTimeZone(), metrics::backupEnded);
            UpdateInbox inbox = new UpdateInbox(jdbi, clock, metrics::updatesReceived);
            scheduling.daily("backup", automation.backupTime(), config.defaultTimeZone(), () -> {
                try {
                    inbox.purge();
                    gatewayApi.purge();
                    // Texts of messages settled a week ago are not needed any more; their figures stay.
                    outbox.purgePayloads(clock.instant().minus(Duration.ofDays(7)));
                    webhooks.purge();
                } finally {
                    backups.backUp(); // whatever a purge met: the copy matters more than the space
                }
            });
            BotLinks feedLinks = new BotLinks(Optional.empty(), schedule.publicUrl(), web.isPresent());
            if (feedLinks.feedsUnreachable()) {
                log.warn("Calendar feed links will point at {}, which phones cannot open: set HTTP_PUBLIC_URL to the "
                        + "address users reach this server at", schedule.publicUrl());
            } else if (feedLinks.feedsInClear()) {
                log.warn("Calendar feed links will be http ({}): their secrets cross the network unencrypted; set "
                        + "HTTP_PUBLIC_URL to the https address of a TLS proxy in front of this server",
                        schedule.publicUrl());
            }
            // The router needs the bot's username (for deep links), known once the Bot API has answered getMe.
            telegram.start(username -> {
                BotLinks links = new BotLinks(username, schedule.publicUrl(), web.isPresent());
                ChatRouter router = new ChatRouter(config, catalog, services, links, reloader, reporter, views,
                        announcementViews, jdbi, notifications, clock);
                router.publishStaffMenus();
                return router;
            }, catalog, config.workerThreads(), inbox, onTokenRefused);
        } catch (RuntimeException e) {
            application.close();
            throw e;
        }
        log.info("forum-gateway is running: database {}, locales {}", config.databasePath().getFileName(),
                catalog.locales());
        return application;
    }

    /**
     * The parts of /healthz: the database (answers, and can be written: another process may hold the lock, the
     * disk may be full), the Bot API as last seen, and whether updates still come in and are stored.
     */
    private static List<HealthEndpoint.Check> healthChecks(Database database, TelegramBot telegram,
                                                           DeliveryEngine delivery, Clock clock) {
        ReusedCheck writable = new ReusedCheck(database::isWritable, WRITE_PROBE_REUSE, System::nanoTime);
        return List.of(
                new HealthEndpoint.Check("database", () -> {
                    if (!database.isHealthy()) {
                        return new HealthEndpoint.Status(false, "unavailable");
                    }
                    boolean canWrite = !telegram.receiving().storingFails() && writable.getAsBoolean();
                    return new HealthEndpoint.Status(canWrite, canWrite ? "ok" : "not-writable");
                }),
                new HealthEndpoint.Check("telegram", () -> {
                    TelegramHealth.Status status = telegram.health().status();
                    if (status == TelegramHealth.Status.UNKNOWN
                            || status == TelegramHealth.Status.OK && telegram.username().isEmpty()) {
                        // No answer yet (the first getMe may wait 40 s for an unreachable Bot API), or getMe's answer
                        // not read yet: deep links (POST /v1/links) are not known.
                        return new HealthEndpoint.Status(false, "starting");
                    }
                    return new HealthEndpoint.Status(status == TelegramHealth.Status.OK,
                            status.name().toLowerCase(Locale.ROOT));
                }),
                new HealthEndpoint.Check("updates", () -> {
                    ReceivingHealth.Report report = telegram.receiving().report();
                    return new HealthEndpoint.Status(report.healthy(), report.details());
                }),
                new HealthEndpoint.Check("delivery", () -> {
                    // A round failing now and then (the lock another process held for a moment) is retried a
                    // second later; failing for half a minute, nothing goes out, however the database probe fares.
                    Optional<Duration> failing = delivery.failingSince().map(since -> Duration.between(since,
                            clock.instant())).filter(lasting -> lasting.compareTo(DELIVERY_FAILING) >= 0);
                    return new HealthEndpoint.Status(failing.isEmpty(), failing.<Object>map(lasting -> {
                        Map<String, Object> detail = new LinkedHashMap<>();
                        detail.put("status", "failing");
                        detail.put("failingForSeconds", lasting.toSeconds());
                        return detail;
                    }).orElse("ok"));
                }));
    }

    /** A broken events file must not keep the bot from starting: the schedule already stored stays in use. */
    private static void loadSchedule(ScheduleReloader reloader) {
        try {
            ReloadReport report = reloader.reload();
            log.info("Schedule loaded: {} events ({} new, {} changed), {} cohorts", report.events(), report.added(),
                    report.updated(), report.cohorts());
        } catch (EventFileException e) {
            log.error("{}; the schedule stored before stays in use", e.getMessage());
        }
    }

    /** The HTTP server's port, when it runs. */
    public Optional<Integer> httpPort() {
        return web.map(WebServer::port);
    }

    public Database database() {
        return database;
    }

    /** Stops polling, lets in-flight updates finish, stops the HTTP server, closes the database. Safe twice. */
    @Override
    public void close() {
        telegram.stopPolling(SHUTDOWN_GRACE_MILLIS);
        scheduling.close();
        announcementQueueing.stop(QUEUEING_GRACE_MILLIS);
        delivery.stop(DELIVERY_GRACE_MILLIS);
        webhooks.close();
        telegram.close();
        web.ifPresent(WebServer::close);
        apiMessages.close();
        database.close();
        log.info("forum-gateway stopped");
    }
}
