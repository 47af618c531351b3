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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
    private TelegramBotsLongPollingApplication polling;
    private volatile Optional<String> username = Optional.empty();
    private ChatWorkers workers;

    /**
     * @param maxRequestsInFlight how many sends may be on the wire at once; OkHttp's default of 5 per host would
     *                            cap the send rate at 5 / latency
     */
    public TelegramBot(TelegramSettings settings, int maxRequestsInFlight) {
        this(settings, maxRequestsInFlight, chain -> chain.proceed(chain.request()));
    }

    /** @param observer sees every Bot API exchange, polling and sending (metrics); must pass each through */
    public TelegramBot(TelegramSettings settings, int maxRequestsInFlight, Interceptor observer) {
        this.settings = settings;
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

    /**
     * Registers the command menu, handles the updates a crash left stored but unhandled, and starts polling.
     */
    public void start(ChatRouter router, MessageCatalog catalog, int workerThreads, UpdateInbox inbox) {
        new CommandMenu(client, catalog).publish(router.commandSpecs());
        workers = new ChatWorkers(workerThreads);
        UpdateConsumer consumer = new UpdateConsumer(workers, router, username, inbox);
        List<Update> left = inbox.unhandled();
        if (!left.isEmpty()) {
            log.info("Handling {} updates received before the last stop", left.size());
            consumer.dispatch(left);
        }
        polling = new TelegramBotsLongPollingApplication(ObjectMapper::new, () -> pollingHttp, () -> pollingThread);
        try {
            polling.registerBot(settings.token(), () -> telegramUrl(settings.apiUrl()), getUpdates(),
                    consumer);
        } catch (TelegramApiException e) {
            // Polling retries by itself once registered; failing here means deleteWebhook was refused or unreachable.
            throw new IllegalStateException("Cannot start polling " + settings.apiUrl() + ": " + e.getMessage(), e);
        }
        log.info("Polling {} for updates", settings.apiUrl());
    }

    /**
     * Checks the token with getMe.
     *
     * @return the bot's username, when the Bot API could be reached
     * @throws ConfigException when the Bot API refuses the token
     */
    public Optional<String> identify() {
        try {
            User me = client.execute(new GetMe());
            username = Optional.ofNullable(me.getUserName());
            return username;
        } catch (TelegramApiRequestException e) {
            if (Integer.valueOf(401).equals(e.getErrorCode()) || Integer.valueOf(404).equals(e.getErrorCode())) {
                throw new ConfigException("TELEGRAM_BOT_TOKEN was refused by " + settings.apiUrl()
                        + " (" + e.getErrorCode() + "): check it with @BotFather (/token)");
            }
            log.warn("getMe failed: {}; going on, polling will retry", e.getMessage());
            return Optional.empty();
        } catch (TelegramApiException e) {
            log.warn("Bot API at {} is not reachable yet: {}; going on, polling will retry",
                    settings.apiUrl(), e.getMessage());
            return Optional.empty();
        }
    }

    private Function<Integer, GetUpdates> getUpdates() {
        return lastUpdateId -> GetUpdates.builder()
                .offset(lastUpdateId + 1)
                .limit(100)
                .timeout(settings.pollTimeoutSeconds())
                .allowedUpdates(List.of("message", "callback_query"))
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
