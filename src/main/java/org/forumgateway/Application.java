package org.forumgateway;

import org.forumgateway.announcements.AnnouncementReporter;
import org.forumgateway.announcements.AnnouncementService;
import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.api.ApiKeys;
import org.forumgateway.api.ApiMessages;
import org.forumgateway.api.GatewayApi;
import org.forumgateway.api.PersonLinks;
import org.forumgateway.audit.AuditLog;
import org.forumgateway.bot.BotLinks;
import org.forumgateway.bot.BotServices;
import org.forumgateway.bot.ChatRouter;
import org.forumgateway.bot.EventViews;
import org.forumgateway.calendar.CalendarFeeds;
import org.forumgateway.calendar.IcsWriter;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.events.EventFileException;
import org.forumgateway.events.EventService;
import org.forumgateway.events.ReloadReport;
import org.forumgateway.events.ScheduleReloader;
import org.forumgateway.invites.InviteService;
import org.forumgateway.rsvp.AttendanceExport;
import org.forumgateway.reminders.AutomaticMessages;
import org.forumgateway.reminders.AutomationDao;
import org.forumgateway.rsvp.PromotionNotices;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.scheduling.Scheduling;
import org.forumgateway.chat.Messenger;
import org.forumgateway.config.AppConfig;
import org.forumgateway.conversation.ConversationStates;
import org.forumgateway.delivery.DeliveryEngine;
import org.forumgateway.delivery.DeliveryLimits;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.OutboxMessenger;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.storage.Backups;
import org.forumgateway.storage.Database;
import org.forumgateway.telegram.TelegramBot;
import org.forumgateway.telegram.UpdateInbox;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.UserService;
import org.forumgateway.web.CalendarFeedEndpoint;
import org.forumgateway.web.HealthEndpoint;
import org.forumgateway.web.WebServer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The composition root: wires every part from a configuration, and owns their shutdown. {@link Main} runs it
 * for real; end-to-end tests run exactly the same wiring against a fake Bot API.
 */
public final class Application implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Application.class);
    /** How long in-flight updates may take to finish on shutdown; SIGTERM must exit within 10 s. */
    private static final long SHUTDOWN_GRACE_MILLIS = 5_000;
    /** Then how long messages on the wire may take to be answered; what is still queued waits for the next start. */
    private static final long DELIVERY_GRACE_MILLIS = 2_500;

    private final Database database;
    private final TelegramBot telegram;
    private final DeliveryEngine delivery;
    private final Scheduling scheduling;
    private final Optional<WebServer> web;

    private Application(Database database, TelegramBot telegram, DeliveryEngine delivery, Scheduling scheduling,
                        Optional<WebServer> web) {
        this.database = database;
        this.telegram = telegram;
        this.delivery = delivery;
        this.scheduling = scheduling;
        this.web = web;
    }

    /**
     * Opens the database, binds the HTTP port and starts polling.
     *
     * @throws org.forumgateway.config.ConfigException when a setting turns out to be unusable
     */
    public static Application start(AppConfig config, Clock clock) {
        MessageCatalog catalog = MessageCatalog.load(config.messagesDir(), config.defaultLocale(),
                config.supportedLocales());
        Database database = Database.open(config.databasePath());
        Jdbi jdbi = database.jdbi();
        AppConfig.Schedule schedule = config.schedule();

        TelegramBot telegram = new TelegramBot(config.telegram(), config.delivery().maxInFlight());
        Outbox outbox = new Outbox(jdbi, clock);
        AppConfig.Delivery rates = config.delivery();
        DeliveryEngine delivery = new DeliveryEngine(outbox, telegram.transport(), DeliveryLimits.telegramDefaults()
                .withRates(rates.maxPerSecond(), rates.perChatPerSecond(), rates.groupPerMinute())
                .withMaxInFlight(rates.maxInFlight()), clock);
        Notifications notifications = new Notifications(outbox, delivery::wake);
        Messenger messenger = new OutboxMessenger(jdbi, notifications);
        Scheduling scheduling = Scheduling.start(clock);

        UserService users = new UserService(jdbi, config.adminIds(), clock);
        AppConfig.Automation automation = config.automation();
        QuietHours defaultQuiet = new QuietHours(automation.quietStart(), automation.quietEnd());
        EventService events = new EventService(jdbi, schedule.eventsFile(), clock, automation.defaultReminders());
        RsvpService rsvps = new RsvpService(jdbi, clock, new PromotionNotices(users, events, catalog, notifications,
                clock));
        EventViews views = new EventViews(config.defaultTimeZone(), catalog.defaultLocale(), clock);
        CohortService cohorts = new CohortService(jdbi);
        CalendarFeeds feeds = new CalendarFeeds(jdbi, clock);
        IcsWriter ics = new IcsWriter(schedule.publicUrl().getHost());
        AuditLog audit = new AuditLog(jdbi, clock);
        AudienceResolver audiences = new AudienceResolver(jdbi, catalog, config.adminIds(), defaultQuiet,
                config.defaultTimeZone());
        AnnouncementService announcements = new AnnouncementService(jdbi, outbox, notifications, audiences, audit,
                clock);
        ApiKeys apiKeys = new ApiKeys(jdbi, config.gateway().apiKeys(), clock);
        PersonLinks personLinks = new PersonLinks(jdbi, clock, schedule.inviteValidity());
        BotServices services = new BotServices(users, events, rsvps, cohorts,
                new InviteService(jdbi, clock, schedule.inviteValidity(), schedule.inviteMaxUses()), feeds, ics,
                new AttendanceExport(jdbi), announcements, audiences, new ConversationStates(jdbi, clock), audit,
                apiKeys, personLinks);

        Optional<WebServer> web = config.httpPort().map(port -> WebServer.bind(port)
                .get(HealthEndpoint.PATH, new HealthEndpoint(database::isHealthy,
                        () -> telegram.health().status().name().toLowerCase(Locale.ROOT)))
                .get(CalendarFeedEndpoint.ROUTE, new CalendarFeedEndpoint(feeds, ics, catalog)));
        ApiMessages apiMessages = new ApiMessages(jdbi, outbox, notifications, audiences, audit, scheduling,
                catalog.defaultLocale(), clock);
        GatewayApi gatewayApi = new GatewayApi(config, jdbi, apiKeys, apiMessages, audiences, personLinks, cohorts,
                users, catalog, clock, System::nanoTime);
        Application application = new Application(database, telegram, delivery, scheduling, web);
        try {
            web.ifPresent(WebServer::start);
            delivery.start();
            Optional<String> username = telegram.identify();
            ScheduleReloader reloader = new ScheduleReloader(jdbi, events, rsvps, audiences, notifications, catalog,
                    views);
            loadSchedule(reloader);
            AnnouncementReporter reporter = new AnnouncementReporter(announcements, cohorts, users, catalog, messenger,
                    scheduling, clock);
            reporter.start();
            apiMessages.start();
            scheduling.every("api-key-messages", Duration.ofSeconds(2), apiKeys::forgetShownKeys);
            AutomaticMessages automatic = new AutomaticMessages(new AutomationDao(jdbi, defaultQuiet), notifications,
                    catalog, views, rsvps, events, cohorts, users, jdbi, clock, config.defaultTimeZone(),
                    automation.deadlineNudge());
            scheduling.every("automatic-messages", AutomaticMessages.PERIOD, automatic::sweep);
            Backups backups = new Backups(database, automation.backupFolder(), automation.backupKeep(), clock);
            UpdateInbox inbox = new UpdateInbox(jdbi, clock);
            scheduling.daily("backup", automation.backupTime(), config.defaultTimeZone(), () -> {
                inbox.purge();
                gatewayApi.purge();
                // Texts of messages settled a week ago are not needed any more; their figures stay.
                outbox.purgePayloads(clock.instant().minus(Duration.ofDays(7)));
                backups.backUp();
            });
            BotLinks links = new BotLinks(username, schedule.publicUrl(), web.isPresent());
            web.ifPresent(server -> gatewayApi.mount(server, links::start));
            ChatRouter router = new ChatRouter(config, catalog, services, links, reloader, reporter, views,
                    messenger, clock);
            telegram.start(router, catalog, config.workerThreads(), inbox);
        } catch (RuntimeException e) {
            application.close();
            throw e;
        }
        log.info("forum-gateway is running: database {}, locales {}", config.databasePath().getFileName(),
                catalog.locales());
        return application;
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
        delivery.stop(DELIVERY_GRACE_MILLIS);
        telegram.close();
        web.ifPresent(WebServer::close);
        database.close();
        log.info("forum-gateway stopped");
    }
}
