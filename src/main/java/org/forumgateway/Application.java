package org.forumgateway;

import org.forumgateway.bot.ChatRouter;
import org.forumgateway.config.AppConfig;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.storage.Database;
import org.forumgateway.telegram.TelegramBot;
import org.forumgateway.users.UserService;
import org.forumgateway.web.HealthEndpoint;
import org.forumgateway.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
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

    private final Database database;
    private final TelegramBot telegram;
    private final Optional<WebServer> web;

    private Application(Database database, TelegramBot telegram, Optional<WebServer> web) {
        this.database = database;
        this.telegram = telegram;
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
        UserService users = new UserService(database.jdbi(), config.adminIds(), clock);
        TelegramBot telegram = new TelegramBot(config.telegram());
        Optional<WebServer> web = config.httpPort().map(port -> WebServer.bind(port)
                .route("/healthz", new HealthEndpoint(database::isHealthy,
                        () -> telegram.health().status().name().toLowerCase(Locale.ROOT))));
        Application application = new Application(database, telegram, web);
        try {
            web.ifPresent(WebServer::start);
            ChatRouter router = new ChatRouter(config, catalog, users, telegram.messenger(), clock);
            telegram.start(router, catalog, config.workerThreads());
        } catch (RuntimeException e) {
            application.close();
            throw e;
        }
        log.info("forum-gateway is running: database {}, locales {}", config.databasePath().getFileName(),
                catalog.locales());
        return application;
    }

    /** The HTTP server's port, when it runs. */
    public Optional<Integer> httpPort() {
        return web.map(WebServer::port);
    }

    public Database database() {
        return database;
    }

    /** Stops polling, lets in-flight updates finish, then stops the HTTP server. Safe to call twice. */
    @Override
    public void close() {
        telegram.stop(SHUTDOWN_GRACE_MILLIS);
        web.ifPresent(WebServer::close);
        log.info("forum-gateway stopped");
    }
}
