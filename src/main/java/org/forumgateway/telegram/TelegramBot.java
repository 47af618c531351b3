package org.forumgateway.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.forumgateway.bot.ChatRouter;
import org.forumgateway.chat.Transport;
import org.forumgateway.config.ConfigException;
import org.forumgateway.config.TelegramSettings;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.web.WebHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.methods.updates.GetWebhookInfo;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.WebhookInfo;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Telegram side of the process: the HTTP clients, the long-polling loop and the per-chat workers. The only
 * owner of Telegram connections; {@link #close()} stops polling first, then lets in-flight updates finish.
 */
public final class TelegramBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelegramBot.class);
    private final TelegramSettings settings;
    private final TelegramHealth health = new TelegramHealth();
    private final OkHttpClient sendingHttp;
    private final OkHttpClient pollingHttp;
    private final OkHttpTelegramClient client;
    private final TelegramTransport transport;
    private final ScheduledExecutorService pollingThread =
            Executors.newSingleThreadScheduledExecutor(ChatWorkers.namedThreads("telegram-polling-"));
    /** Start-up steps retried in the background while the Bot API cannot be reached. */
    private final ExecutorService startup = Executors.newSingleThreadExecutor(ChatWorkers.namedThreads("telegram-start-"));
    private final ReceivingHealth receiving;
    private final Clock clock;
    private volatile TelegramBotsLongPollingApplication polling;
    private volatile Optional<String> username = Optional.empty();
    private volatile UpdateConsumer consumer;
    private volatile boolean identified;
    private volatile Webhook webhook;
    private volatile WebhookEndpoint webhookEndpoint;
    private volatile PushedUpdates pushed;
    private volatile Optional<Instant> reportedWebhookError = Optional.empty();
    private UpdateInbox inbox;
    private ChatWorkers workers;

    /** A bot with the system clock. */
    public TelegramBot(TelegramSettings settings, int maxRequestsInFlight) {
        this(settings, maxRequestsInFlight, Clock.systemUTC());
    }

    /**
     * @param maxRequestsInFlight how many sends may be on the wire at once; OkHttp's default of 5 per host would
     *                            cap the send rate at 5 / latency
     */
    public TelegramBot(TelegramSettings settings, int maxRequestsInFlight, Clock clock) {
        this(settings, maxRequestsInFlight, clock, chain -> chain.proceed(chain.request()));
    }

    /** @param observer sees every Bot API exchange, polling and sending (metrics); must pass each through */
    public TelegramBot(TelegramSettings settings, int maxRequestsInFlight, Clock clock, Interceptor observer) {
        this.settings = settings;
        this.clock = clock;
        this.receiving = new ReceivingHealth(clock, settings.pollTimeoutSeconds());
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(maxRequestsInFlight + 8);
        dispatcher.setMaxRequestsPerHost(maxRequestsInFlight + 8);
        this.sendingHttp = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .addInterceptor(health)
                .addInterceptor(observer)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .writeTimeout(Duration.ofSeconds(30))
                .build();
        this.pollingHttp = new OkHttpClient.Builder()
                .addInterceptor(health)
                .addInterceptor(observer)
                .addInterceptor(receiving)
                .connectTimeout(Duration.ofSeconds(10))
                // The server holds a long poll for the timeout; allow it that and a margin.
                .readTimeout(Duration.ofSeconds(settings.pollTimeoutSeconds() + 15L))
                .build();
        this.client = new OkHttpTelegramClient(new ObjectMapper(), sendingHttp, settings.token(), telegramUrl(settings.apiUrl()));
        this.transport = new TelegramTransport(client);
    }

    /** Puts messages on the wire; the delivery engine decides when. */
    public Transport transport() {
        return transport;
    }

    public TelegramHealth health() {
        return health;
    }

    /** Whether updates still come in and can be stored. */
    public ReceivingHealth receiving() {
        return receiving;
    }

    /**
     * Receive updates by webhook rather than by polling: call before {@link #start}, and serve the handler at
     * {@link Webhook#PATH} (POST, bodies up to {@link Webhook#MAX_BODY_BYTES}).
     */
    public WebHandler receiveByWebhook(Webhook hook) {
        if (hook.unencryptedOffLoopback()) {
            log.warn("TELEGRAM_WEBHOOK_URL is plain http:// on a host that is not loopback: updates cross the network "
                    + "unencrypted. Telegram itself only pushes to https:// (a local Bot API server may use http)");
        }
        webhook = hook;
        receiving.expecting(ReceivingHealth.Mode.WEBHOOK);
        webhookEndpoint = new WebhookEndpoint(hook.secret());
        return webhookEndpoint;
    }

    /**
     * Checks the token, registers the command menu, handles the updates a crash left stored but unhandled, and
     * starts polling. When the Bot API cannot be reached, returns at once and keeps trying in the background
     * (with back-off, one log line a minute at most); /healthz answers 503 meanwhile.
     *
     * @param routers        builds the router once the bot's username is known
     * @param onTokenRefused called (on a background thread) when the token is refused after start-up went on
     * @throws ConfigException when the Bot API refuses the token at the first try
     */
    public void start(Function<Optional<String>, ChatRouter> routers, MessageCatalog catalog, int workerThreads,
                      UpdateInbox inbox, Consumer<ConfigException> onTokenRefused) {
        workers = new ChatWorkers(workerThreads);
        this.inbox = inbox;
        Reconnecting reconnecting = new Reconnecting(settings.apiUrl());
        if (reconnecting.tryOnce("getMe", this::identify) && setUp(routers, catalog, inbox)
                && reconnecting.tryOnce(receivingStep(), this::startReceiving)) {
            return;
        }
        startup.execute(() -> {
            try {
                if ((identified || reconnecting.retry("getMe", this::identify))
                        && (consumer != null || setUp(routers, catalog, inbox))) {
                    reconnecting.retry(receivingStep(), this::startReceiving);
                }
            } catch (ConfigException e) {
                log.error("{}; stopping", e.getMessage());
                onTokenRefused.accept(e);
            } catch (RuntimeException e) {
                log.error("Start-up failed", e);
            }
        });
    }

    /** Builds the router and hands out the updates stored but not handled before the last stop. */
    private boolean setUp(Function<Optional<String>, ChatRouter> routers, MessageCatalog catalog, UpdateInbox inbox) {
        ChatRouter router = routers.apply(username);
        new CommandMenu(client, catalog).publish(router.commandSpecs());
        UpdateConsumer ready = new UpdateConsumer(workers, router, username, inbox, receiving);
        List<Update> left = inbox.unhandled();
        if (!left.isEmpty()) {
            log.info("Handling {} updates received before the last stop", left.size());
            ready.dispatch(left);
        }
        consumer = ready;
        return true;
    }

    private void identify() throws TelegramApiException {
        User me = client.execute(new GetMe());
        username = Optional.ofNullable(me.getUserName());
        identified = true;
    }

    private String receivingStep() {
        return webhook == null ? "deleteWebhook and polling" : "setWebhook";
    }

    private void startReceiving() throws TelegramApiException {
        if (webhook == null) {
            startPolling();
        } else {
            startWebhook(webhook);
        }
    }

    /** Takes pushed updates from now on, then tells Telegram where to push them. */
    private void startWebhook(Webhook hook) throws TelegramApiException {
        if (pushed == null) {
            pushed = new PushedUpdates(inbox, receiving);
        }
        webhookEndpoint.ready(consumer, pushed);
        setWebhook(hook);
        receiving.storedBefore(inbox.lastReceived());
        receiving.receiving(ReceivingHealth.Mode.WEBHOOK);
        pollingThread.scheduleWithFixedDelay(this::checkWebhook, 0, 1, TimeUnit.MINUTES);
        log.info("Receiving updates by webhook at {}", hook.endpointUrl());
    }

    private void setWebhook(Webhook hook) throws TelegramApiException {
        Boolean set = client.execute(SetWebhook.builder()
                .url(hook.endpointUrl())
                .secretToken(hook.secret())
                .allowedUpdates(Webhook.ALLOWED_UPDATES)
                .maxConnections(Webhook.MAX_CONNECTIONS)
                .dropPendingUpdates(false)
                .build());
        if (!Boolean.TRUE.equals(set)) {
            throw new TelegramApiException("setWebhook answered " + set);
        }
    }

    /**
     * Once a minute: what Telegram says about delivering to us, for /healthz and for one log line per new error;
     * and the webhook set again if something (a second process polling) removed it.
     */
    private void checkWebhook() {
        Webhook hook = webhook;
        try {
            WebhookInfo info = client.execute(new GetWebhookInfo());
            Optional<Instant> errorAt = Optional.ofNullable(info.getLastErrorDate())
                    .filter(seconds -> seconds > 0).map(Instant::ofEpochSecond);
            int pending = Optional.ofNullable(info.getPendingUpdatesCount()).orElse(0);
            receiving.webhookInfo(new ReceivingHealth.WebhookInfo(pending,
                    Optional.ofNullable(info.getLastErrorMessage()), errorAt, clock.instant()));
            if (errorAt.isPresent() && !errorAt.equals(reportedWebhookError)) {
                reportedWebhookError = errorAt;
                log.warn("Telegram reports it could not deliver to the webhook: {} ({} updates waiting)",
                        info.getLastErrorMessage(), pending);
            }
            if (!hook.endpointUrl().equals(info.getUrl())) {
                receiving.webhookTakenElsewhere();
                log.warn("The webhook was {} instead of {} (another process polling or setting it?); setting it again",
                        info.getUrl() == null || info.getUrl().isEmpty() ? "removed" : "changed", hook.endpointUrl());
                try {
                    setWebhook(hook);
                } catch (TelegramApiException | RuntimeException e) {
                    // Telegram's reason ("bad webhook: ..."), so that the operator can act on it; tried again in a minute.
                    log.warn("Setting the webhook again failed: {}", e.getMessage());
                }
            }
        } catch (TelegramApiException | RuntimeException e) {
            // The next check comes in a minute; /healthz says how old the last answer is.
            log.debug("getWebhookInfo failed: {}", e.getMessage());
        }
    }

    /** Removes any webhook (Telegram refuses getUpdates while one is set), then polls. */
    private void startPolling() throws TelegramApiException {
        Boolean deleted = client.execute(DeleteWebhook.builder().dropPendingUpdates(false).build());
        if (!Boolean.TRUE.equals(deleted)) {
            throw new TelegramApiException("deleteWebhook answered " + deleted);
        }
        TelegramBotsLongPollingApplication application =
                new TelegramBotsLongPollingApplication(ObjectMapper::new, () -> pollingHttp, () -> pollingThread);
        application.registerBot(settings.token(), () -> telegramUrl(settings.apiUrl()), getUpdates(), consumer);
        polling = application;
        receiving.receiving(ReceivingHealth.Mode.POLLING);
        log.info("Polling {} for updates", settings.apiUrl());
    }

    /** The bot's username from getMe, once the Bot API has answered. */
    public Optional<String> username() {
        return username;
    }

    private Function<Integer, GetUpdates> getUpdates() {
        return lastUpdateId -> GetUpdates.builder()
                .offset(lastUpdateId + 1)
                .limit(100)
                .timeout(settings.pollTimeoutSeconds())
                .allowedUpdates(Webhook.ALLOWED_UPDATES)
                .build();
    }

    static TelegramUrl telegramUrl(URI apiUrl) {
        int port = apiUrl.getPort() != -1 ? apiUrl.getPort() : "https".equals(apiUrl.getScheme()) ? 443 : 80;
        return new TelegramUrl(apiUrl.getScheme(), apiUrl.getHost(), port, false);
    }

    /**
     * Stops polling (cancelling the long poll under way) and waits up to {@code graceMillis} for updates being
     * handled. Sending still works until {@link #close()}.
     */
    public void stopPolling(long graceMillis) {
        startup.shutdownNow();
        receiving.stopped();
        if (webhookEndpoint != null) {
            webhookEndpoint.stop();
        }
        if (polling != null) {
            try {
                polling.close();
            } catch (Exception e) {
                log.warn("Stopping the polling loop: {}", e.getMessage());
            }
        }
        pollingThread.shutdownNow();
        pollingHttp.dispatcher().cancelAll();
        if (workers != null && !workers.shutdown(graceMillis)) {
            log.warn("Some updates were still being handled after {} ms", graceMillis);
        }
        shutdownClient(pollingHttp);
        if (pushed != null) {
            pushed.close();
        }

    }

    /** Stops polling if it still runs, then closes the HTTP clients. */
    @Override
    public void close() {
        stopPolling(5_000);
        shutdownClient(sendingHttp);
    }

    private static void shutdownClient(OkHttpClient http) {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
