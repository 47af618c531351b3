package org.forumgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A Telegram Bot API server on loopback for end-to-end tests. It serves updates through getUpdates (honouring
 * {@code offset} and {@code timeout}), matches method names case-insensitively as Telegram does, answers the
 * methods the bot uses with well-formed results, records every request, and can be told to answer a method
 * with an error or to answer one chat slowly.
 */
public final class FakeTelegramApi implements AutoCloseable {
    /** A token of the right shape; it is fake. */
    public static final String TOKEN = "123456789:AAFakeTokenForForumGatewayTests_0123";
    public static final String BOT_USERNAME = "forum_gateway_test_bot";
    /** A bound, not a pause: awaits return as soon as the requests arrive. Generous, because a packaged jar on a busy
     * 2-core machine can take 10 s to start. */
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final int DROP = -1;
    private static final Set<String> SENDING_METHODS = Set.of("sendmessage", "editmessagetext", "senddocument",
            "sendphoto", "sendvideo", "sendmediagroup", "editmessagecaption", "copymessage");
    private static final Set<String> CAPTIONED_METHODS = Set.of("senddocument", "sendphoto", "sendvideo",
            "editmessagecaption", "copymessage");
    private static final Set<String> KNOWN_METHODS = Set.of("getme", "deletewebhook", "getupdates", "sendmessage",
            "editmessagetext", "answercallbackquery", "setmycommands", "deletemycommands", "senddocument", "setwebhook",
            "getwebhookinfo", "sendphoto", "sendvideo", "sendmediagroup", "editmessagecaption", "copymessage",
            "deletemessage", "deletemessages", "pinchatmessage");
    /** What the fake records for each update it pushes to a webhook. */
    public static final String PUSH = "webhook-push";
    /** Telegram lets a bot delete its messages for 48 hours. */
    private static final Duration DELETABLE_FOR = Duration.ofHours(48);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-telegram");
        thread.setDaemon(true);
        return thread;
    });
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    /** Signalled after each request is recorded; its own lock, so waiting for requests never holds up the server. */
    private final ReentrantLock recordedLock = new ReentrantLock();
    private final Condition recorded = recordedLock.newCondition();
    private final Map<String, Deque<ScriptedError>> scriptedErrors = new ConcurrentHashMap<>();
    private final Map<Long, Hold> holds = new ConcurrentHashMap<>();
    private final Set<Long> blockedChats = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> migratedChats = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final Set<Long> chatsWithoutPinRight = ConcurrentHashMap.newKeySet();
    /** The messages the bot sent, by chat and message id, with when it sent them on {@link #clock}. */
    private final Map<Long, Map<Integer, BotMessage>> botMessages = new ConcurrentHashMap<>();
    private volatile Clock clock = Clock.systemUTC();
    private volatile Limits limits;
    private volatile Duration latency = Duration.ZERO;

    static {
        // The JDK's HTTP server writes an answer's headers and body apart; with Nagle's algorithm on, the body then
        // waits for the client's delayed ACK (about 40 ms on Linux) before every answer. Telegram does not do that.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<ObjectNode> updates = new ArrayList<>();
    private final Map<Integer, ObjectNode> sent = new HashMap<>();
    private int nextUpdateId = 1;
    private int nextMessageId = 1000;
    private boolean closed;
    /** The webhook as set by setWebhook; empty: none, getUpdates works. Guarded by {@link #lock}. */
    private String webhookUrl = "";
    private String webhookSecret;
    /**
     * The update types the bot last asked for (getUpdates or setWebhook); Telegram does not create the others. Empty:
     * Telegram's default, every type but chat_member and reactions. Guarded by {@link #lock}.
     */
    private Set<String> allowedUpdates = Set.of();
    private long lastErrorDate;
    private String lastErrorMessage;

    private FakeTelegramApi(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        executor.execute(this::pushToWebhook);
    }

    public static FakeTelegramApi start() {
        return startOn(0);
    }

    /** A fake on a chosen loopback port: for a bot that was started before its Bot API could be reached. */
    public static FakeTelegramApi startOn(int port) {
        try {
            return new FakeTelegramApi(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The address to give the bot as TELEGRAM_API_URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- what users do ------------------------------------------------------------------------------------

    /** The user sends {@code text} in their private chat with the bot; returns the update id. */
    public int sendText(FakeUser user, String text) {
        ObjectNode message = message(user);
        message.put("text", text);
        if (text.startsWith("/")) {
            int end = text.indexOf(' ');
            ArrayNode entities = message.putArray("entities");
            entities.addObject().put("type", "bot_command").put("offset", 0).put("length", end < 0 ? text.length() : end);
        }
        return enqueue("message", message);
    }

    /**
     * The user sends {@code text} with one entity of {@code type} at {@code offset} and {@code length}, which may lie
     * outside the text as in a malformed update.
     */
    public int sendTextWithEntity(FakeUser user, String text, String type, int offset, int length) {
        ObjectNode message = message(user);
        message.put("text", text);
        message.putArray("entities").addObject().put("type", type).put("offset", offset).put("length", length);
        return enqueue("message", message);
    }

    /** The user sends {@code text} formatted with Telegram's toolbar: {@code entities} as the Bot API sends them. */
    public int sendFormatted(FakeUser user, String text, ArrayNode entities) {
        ObjectNode message = message(user);
        message.put("text", text);
        message.set("entities", entities);
        return enqueue("message", message);
    }

    /** A new, empty list of entities to fill with {@link #entity}. */
    public ArrayNode entities() {
        return json.createArrayNode();
    }

    /** Adds an entity of {@code type} at UTF-16 {@code offset} and {@code length}; returns it for extra fields. */
    public static ObjectNode entity(ArrayNode entities, String type, int offset, int length) {
        return entities.addObject().put("type", type).put("offset", offset).put("length", length);
    }

    /**
     * The user sends a photo, a document or a video ({@code kind}: photo, document, video) with a formatted caption;
     * with {@code albumId}, it is one item of an album (Telegram's media_group_id).
     */
    public int sendMedia(FakeUser user, String kind, String fileId, String caption, ArrayNode captionEntities,
                         Optional<String> albumId) {
        ObjectNode message = message(user);
        switch (kind) {
            case "photo" -> {
                ArrayNode sizes = message.putArray("photo");
                sizes.addObject().put("file_id", fileId + "-small").put("file_unique_id", fileId + "s")
                        .put("width", 90).put("height", 60);
                sizes.addObject().put("file_id", fileId).put("file_unique_id", fileId + "u")
                        .put("width", 1280).put("height", 853);
            }
            case "document" -> message.putObject("document").put("file_id", fileId).put("file_unique_id", fileId + "u")
                    .put("file_name", "programme.pdf").put("mime_type", "application/pdf");
            case "video" -> message.putObject("video").put("file_id", fileId).put("file_unique_id", fileId + "u")
                    .put("width", 1280).put("height", 720).put("duration", 30);
            default -> throw new IllegalArgumentException("unknown media kind " + kind);
        }
        if (!caption.isEmpty()) {
            message.put("caption", caption);
            message.set("caption_entities", captionEntities);
        }
        albumId.ifPresent(id -> message.put("media_group_id", id));
        return enqueue("message", message);
    }

    /** The user sends {@code text} in the group {@code groupChatId} (a negative id, as Telegram's are). */
    public int sendGroupText(FakeUser user, long groupChatId, String text) {
        ObjectNode message = message(user);
        message.set("chat", json.createObjectNode().put("id", groupChatId).put("type", chatType(groupChatId))
                .put("title", "Forum delegates"));
        message.put("text", text);
        return enqueue("message", message);
    }

    /**
     * Someone changes the bot's place in the group {@code groupChatId} (negative), as Telegram reports it with a
     * my_chat_member update: {@code status} is "member", "administrator", "left" or "kicked"; an administrator may pin
     * when {@code canPin}. The fake then refuses pinChatMessage there unless the bot is an administrator who may pin.
     */
    public int changeBotMembership(FakeUser by, long groupChatId, String title, String oldStatus, String status,
                                   boolean canPin) {
        ObjectNode update = json.createObjectNode();
        update.set("chat", json.createObjectNode().put("id", groupChatId).put("title", title)
                .put("type", chatType(groupChatId)));
        update.set("from", userNode(by));
        update.put("date", now());
        update.set("old_chat_member", chatMember(oldStatus, false));
        update.set("new_chat_member", chatMember(status, canPin));
        if (status.equals("administrator") && canPin) {
            chatsWithoutPinRight.remove(groupChatId);
        } else {
            chatsWithoutPinRight.add(groupChatId);
        }
        return enqueue("my_chat_member", update);
    }

    /**
     * {@code user} blocks the bot, as in Telegram's apps: every message to them is refused with 403 from now on, and
     * the bot gets a my_chat_member update in their private chat, the bot's status going from "member" to "kicked".
     */
    public int blockBot(FakeUser user) {
        blockedChats.add(user.chatId());
        return enqueue("my_chat_member", privateMembership(user, "member", "kicked"));
    }

    /** {@code user} unblocks the bot: messages reach them again, and the bot is told ("kicked" to "member"). */
    public int unblockBot(FakeUser user) {
        blockedChats.remove(user.chatId());
        return enqueue("my_chat_member", privateMembership(user, "kicked", "member"));
    }

    private ObjectNode privateMembership(FakeUser user, String oldStatus, String status) {
        ObjectNode update = json.createObjectNode();
        update.set("chat", privateChat(user));
        update.set("from", userNode(user));
        update.put("date", now());
        update.set("old_chat_member", chatMember(oldStatus, false));
        update.set("new_chat_member", chatMember(status, false));
        return update;
    }

    /** A ChatMember of the bot as Telegram writes it, with every field its status has. */
    private ObjectNode chatMember(String status, boolean canPin) {
        ObjectNode member = json.createObjectNode();
        member.set("user", botNode());
        member.put("status", status);
        switch (status) {
            case "administrator" -> member.put("can_be_edited", false).put("is_anonymous", false)
                    .put("can_manage_chat", true).put("can_delete_messages", true).put("can_manage_video_chats", true)
                    .put("can_restrict_members", true).put("can_promote_members", false).put("can_change_info", true)
                    .put("can_invite_users", true).put("can_post_stories", false).put("can_edit_stories", false)
                    .put("can_delete_stories", false).put("can_pin_messages", canPin).put("can_manage_topics", false);
            case "kicked" -> member.put("until_date", 0);
            default -> { }
        }
        return member;
    }

    /** The bot is not an administrator allowed to pin in {@code chatId}: pinChatMessage is refused there. */
    public void denyPinning(long chatId) {
        chatsWithoutPinRight.add(chatId);
    }

    /** The clock by which the fake dates the bot's messages and judges whether they may still be deleted. */
    public void useClock(Clock clock) {
        this.clock = clock;
    }

    /** The messages the bot sent to {@code chatId} that are still there (not deleted). */
    public Set<Integer> messagesStillIn(long chatId) {
        return Set.copyOf(botMessages.getOrDefault(chatId, Map.of()).keySet());
    }

    /** Every sendMessage to the chat {@code chatId}, in order. */
    public List<RecordedRequest> messagesToChat(long chatId) {
        return requests("sendMessage").stream().filter(request -> request.chatId() == chatId).toList();
    }

    /** The user sends a sticker. */
    public int sendSticker(FakeUser user) {
        ObjectNode message = message(user);
        message.putObject("sticker").put("file_id", "sticker-1").put("file_unique_id", "s1").put("type", "regular")
                .put("width", 512).put("height", 512).put("is_animated", false).put("is_video", false);
        return enqueue("message", message);
    }

    /** The user presses a button carrying {@code callbackData} under message {@code messageId}. */
    public int pressButton(FakeUser user, int messageId, String callbackData) {
        ObjectNode query = json.createObjectNode();
        query.put("id", "cb-" + System.nanoTime());
        query.set("from", userNode(user));
        query.put("chat_instance", "ci-" + user.id());
        query.put("data", callbackData);
        ObjectNode message = query.putObject("message");
        message.put("message_id", messageId);
        message.put("date", now());
        message.set("chat", privateChat(user));
        message.set("from", botNode());
        message.put("text", "…");
        return enqueue("callback_query", query);
    }

    // ---- faults --------------------------------------------------------------------------------------------

    /**
     * A text message the bot sent to {@code chatId} before this fake started, such as a card still open on a
     * phone: Telegram edits it like one sent here, where it refuses to edit a message it never sent.
     */
    public void assumeSent(long chatId, int messageId) {
        // What it shows once edited here is kept: the same edit twice is "not modified", as in Telegram.
        botMessages.computeIfAbsent(chatId, id -> new ConcurrentHashMap<>())
                .putIfAbsent(messageId, new BotMessage(clock.instant(), false, "(sent before)"));
    }

    /** The next call of {@code method} is answered with {@code status} and {@code description}. */
    public void failNext(String method, int status, String description) {
        script(method, new ScriptedError(status, description, 0));
    }

    /** The next call of {@code method} is answered 429, as Telegram does, with {@code retry_after} in its parameters. */
    public void throttleNext(String method, int retryAfterSeconds) {
        script(method, new ScriptedError(429, "Too Many Requests: retry after " + retryAfterSeconds,
                retryAfterSeconds));
    }

    private void script(String method, ScriptedError error) {
        scriptedErrors.computeIfAbsent(method.toLowerCase(Locale.ROOT), key -> new ArrayDeque<>()).add(error);
    }

    /** The next call of {@code method} gets no answer: the connection is closed. */
    public void dropNext(String method) {
        failNext(method, DROP, "dropped");
    }

    /** Every message to {@code chatId} is refused with 403, as for a user who blocked the bot. */
    public void blockChat(long chatId) {
        blockedChats.add(chatId);
    }

    /** Messages to {@code oldChatId} are refused with 400 and migrate_to_chat_id = {@code newChatId}. */
    public void migrateChat(long oldChatId, long newChatId) {
        migratedChats.put(oldChatId, newChatId);
    }

    /**
     * Enforces flood limits on sends: {@code perSecond} overall (bursts of a fifth of it), {@code perChatPerSecond}
     * in each chat (bursts of {@code chatBurst}), and in a group no more than 20 in any minute, both its ends
     * included; excess is answered 429 with retry_after in whole seconds until a send would be admitted.
     */
    public void enforceLimits(double perSecond, double perChatPerSecond, int chatBurst) {
        limits = new Limits(perSecond, perChatPerSecond, chatBurst);
    }

    /** Every send takes {@code delay} before it is answered, like a real network. */
    public void latency(Duration delay) {
        latency = delay;
    }

    /** How many sends were answered 429. */
    public int throttledCount() {
        return throttled.get();
    }

    /** The sends answered 429, in the order they came. */
    public List<RecordedRequest> throttled() {
        return requests().stream().filter(request -> request.status() == 429).toList();
    }

    /** Messages the fake accepted (answered 200), of {@code method}, to {@code chatId}. */
    public List<RecordedRequest> accepted(String method, long chatId) {
        return requests(method).stream().filter(request -> request.accepted() && request.chatId() == chatId).toList();
    }

    /**
     * Holds the next message sent to {@code chatId} on its way: the request has arrived but is not answered (so
     * not accepted) until {@link Hold#release()}. Unreleased, it is answered after 30 seconds.
     */
    public Hold hold(long chatId) {
        Hold hold = new Hold(new CountDownLatch(1), new CountDownLatch(1));
        holds.put(chatId, hold);
        return hold;
    }

    /** A message held on its way to Telegram. */
    public record Hold(CountDownLatch arrived, CountDownLatch released) {
        /** Waits until the held request has arrived. */
        public void awaitArrival() {
            try {
                if (!arrived.await(AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("no request arrived to be held");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Lets Telegram accept it. */
        public void release() {
            released.countDown();
        }
    }

    // ---- what the bot did ----------------------------------------------------------------------------------

    /** Every request received, of every method, in the order recorded. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> requests(String method) {
        String name = method.toLowerCase(Locale.ROOT);
        return requests.stream().filter(request -> request.method().equals(name)).toList();
    }

    /** Waits for the first request of {@code method} that matches, failing the test after 10 s. */
    public RecordedRequest await(String method, Predicate<RecordedRequest> matching) {
        return awaitAll(method, matching, 1).get(0);
    }

    /**
     * Waits until {@code count} requests of {@code method} match, and returns them in arrival order. Each request is
     * tested once, as it arrives (requests do not change): waiting costs nothing while none arrive, and a benchmark
     * waiting here does not take the CPU from the bot it measures by scanning every request again and again.
     */
    public List<RecordedRequest> awaitAll(String method, Predicate<RecordedRequest> matching, int count) {
        String name = method.toLowerCase(Locale.ROOT);
        long deadline = System.nanoTime() + AWAIT.toNanos();
        List<RecordedRequest> found = new ArrayList<>();
        int tested = 0;
        recordedLock.lock();
        try {
            while (true) {
                for (int size = requests.size(); tested < size; tested++) {
                    RecordedRequest request = requests.get(tested);
                    if (request.method().equals(name) && matching.test(request)) {
                        found.add(request);
                        if (found.size() == count) {
                            return List.copyOf(found);
                        }
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("waited " + AWAIT.toSeconds() + " s for " + count + " " + method
                            + " requests; got " + found.size() + ". All requests: " + summary());
                }
                recorded.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + method, e);
        } finally {
            recordedLock.unlock();
        }
    }

    /** Waits for a sendMessage to {@code user} whose text contains {@code fragment}. */
    public RecordedRequest awaitMessageTo(FakeUser user, String fragment) {
        return await("sendMessage", request -> request.chatId() == user.chatId() && request.text().contains(fragment));
    }

    /** Every sendMessage to {@code user}, in order. */
    public List<RecordedRequest> messagesTo(FakeUser user) {
        return requests("sendMessage").stream().filter(request -> request.chatId() == user.chatId()).toList();
    }

    /** True once the bot has asked for updates at least {@code count} times. */
    public void awaitPolls(int count) {
        awaitAll("getUpdates", request -> true, count);
    }

    public String summary() {
        StringBuilder text = new StringBuilder();
        for (RecordedRequest request : requests) {
            if (!request.method().equals("getupdates")) {
                text.append("\n  ").append(request.method()).append(' ').append(request.body());
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the server ----------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        // Recorded as the request's time: when it arrived, before the simulated latency or a long poll's wait.
        long arrivedAt = System.nanoTime();
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().split("/");
            if (path.length != 3 || !path[1].startsWith("bot")) {
                reply(exchange, 404, error(404, "Not Found"));
                return;
            }
            if (!path[1].equals("bot" + TOKEN)) {
                reply(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            String method = path[2].toLowerCase(Locale.ROOT);
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
            JsonNode body = raw.length == 0 ? json.createObjectNode()
                    : contentType.startsWith("multipart/form-data") ? Multipart.parse(raw, contentType, json)
                    : json.readTree(raw);
            if (!KNOWN_METHODS.contains(method)) {
                record(method, body, Optional.empty(), 404, arrivedAt);
                reply(exchange, 404, error(404, "Not Found: method not found"));
                return;
            }
            ScriptedError scripted = Optional.ofNullable(scriptedErrors.get(method)).map(Deque::poll).orElse(null);
            if (scripted != null && scripted.status() == DROP) {
                record(method, body, Optional.empty(), 0, arrivedAt);
                throw new DroppedConnection();
            }
            if (scripted != null) {
                record(method, body, Optional.empty(), scripted.status(), arrivedAt);
                ObjectNode answer = error(scripted.status(), scripted.description());
                if (scripted.retryAfter() > 0) {
                    answer.putObject("parameters").put("retry_after", scripted.retryAfter());
                }
                reply(exchange, scripted.status(), answer);
                return;
            }
            // Limits are checked as a request arrives; the answer then takes the latency, like a real network.
            if (SENDING_METHODS.contains(method)) {
                long chat = body.path("chat_id").asLong();
                // A message refused for what it is does not count against the limits: it was never sent.
                Optional<ObjectNode> refusal = refusal(chat).or(() -> malformed(method, body))
                        .or(() -> throttled(chat));
                if (refusal.isPresent()) {
                    int status = refusal.get().path("error_code").asInt();
                    record(method, body, Optional.empty(), status, arrivedAt);
                    delayIfSlow(method, body);
                    reply(exchange, status, refusal.get());
                    return;
                }
            }
            delayIfSlow(method, body);
            answer(exchange, method, body, arrivedAt);
        } catch (DroppedConnection e) {
            throw e;
        } catch (RuntimeException e) {
            reply(exchange, 500, error(500, "fake server failure: " + e));
        }
    }

    /** Text the real Bot API would refuse to parse (HTML parse mode) or that is too long. */
    private Optional<ObjectNode> malformed(String method, JsonNode body) {
        if (method.equals("sendmediagroup")) {
            return malformedAlbum(body);
        }
        boolean caption = CAPTIONED_METHODS.contains(method);
        String text = body.path(caption ? "caption" : "text").asText("");
        if (caption && text.isEmpty()) {
            return Optional.empty();
        }
        boolean html = "HTML".equalsIgnoreCase(body.path("parse_mode").asText(""));
        Optional<String> problem = html ? TelegramHtml.problem(text, caption ? 1024 : 4096)
                : text.length() > (caption ? 1024 : 4096) ? Optional.of("Bad Request: message is too long")
                : Optional.empty();
        return problem.map(description -> error(400, description));
    }

    /** An album of 2-10 photos, videos or documents, each caption fine. */
    private Optional<ObjectNode> malformedAlbum(JsonNode body) {
        JsonNode media = albumItems(body);
        if (!media.isArray() || media.size() < 2 || media.size() > 10) {
            return Optional.of(error(400, "Bad Request: wrong number of media in the album: " + media.size()));
        }
        for (JsonNode item : media) {
            if (!Set.of("photo", "video", "document").contains(item.path("type").asText())
                    || item.path("media").asText("").isEmpty()) {
                return Optional.of(error(400, "Bad Request: wrong media in the album"));
            }
            String caption = item.path("caption").asText("");
            if (!caption.isEmpty()) {
                Optional<String> problem = "HTML".equalsIgnoreCase(item.path("parse_mode").asText(""))
                        ? TelegramHtml.problem(caption, 1024) : Optional.empty();
                if (problem.isPresent()) {
                    return Optional.of(error(400, problem.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** The album's items: multipart carries them as a JSON string. */
    private JsonNode albumItems(JsonNode body) {
        JsonNode media = body.path("media");
        if (media.isTextual()) {
            try {
                return json.readTree(media.asText());
            } catch (IOException e) {
                return json.createArrayNode();
            }
        }
        return media;
    }

    /** Why the real Bot API would refuse any message to {@code chat} now (blocked, or moved), if it would. */
    private Optional<ObjectNode> refusal(long chat) {
        if (blockedChats.contains(chat)) {
            return Optional.of(error(403, "Forbidden: bot was blocked by the user"));
        }
        Long migratedTo = migratedChats.get(chat);
        if (migratedTo != null) {
            ObjectNode answer = error(400, "Bad Request: group chat was upgraded to a supergroup chat");
            answer.putObject("parameters").put("migrate_to_chat_id", migratedTo);
            return Optional.of(answer);
        }
        return Optional.empty();
    }

    /** A 429, if the flood limits being enforced would refuse a message to {@code chat} now; else takes its place. */
    private Optional<ObjectNode> throttled(long chat) {
        long waitNanos = limits == null ? 0 : limits.admit(chat);
        if (waitNanos > 0) {
            throttled.incrementAndGet();
            // Whole seconds, at least one, as Telegram gives them: until the bucket that refused has a token again.
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + TimeUnit.SECONDS.toNanos(1) - 1));
            ObjectNode answer = error(429, "Too Many Requests: retry after " + seconds);
            answer.putObject("parameters").put("retry_after", seconds);
            return Optional.of(answer);
        }
        return Optional.empty();
    }

    private void answer(HttpExchange exchange, String method, JsonNode body, long arrivedAt) throws IOException {
        switch (method) {
            case "getupdates" -> {
                if (webhookSet()) {
                    record(method, body, Optional.empty(), 409, arrivedAt);
                    reply(exchange, 409, error(409, "Conflict: can't use getUpdates method while webhook is active; "
                            + "use deleteWebhook to delete the webhook first"));
                    return;
                }
                record(method, body, Optional.empty(), 200, arrivedAt);
                rememberAllowedUpdates(body);
                reply(exchange, 200, ok(pendingUpdates(body.path("offset").asInt(0), body.path("limit").asInt(100),
                        body.path("timeout").asInt(0))));
            }
            case "setwebhook" -> {
                String secret = body.path("secret_token").asText("");
                if (body.hasNonNull("secret_token") && !secret.matches("[A-Za-z0-9_-]{1,256}")) {
                    // Telegram's rule for the secret: 1-256 characters, letters, digits, _ and -.
                    record(method, body, Optional.empty(), 400);
                    reply(exchange, 400, error(400, "Bad Request: secret token contains unallowed characters"));
                    return;
                }
                lock.lock();
                try {
                    webhookUrl = body.path("url").asText("");
                    webhookSecret = body.hasNonNull("secret_token") ? body.path("secret_token").asText() : null;
                    rememberAllowedUpdates(body);
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                record(method, body, Optional.empty(), 200);
                reply(exchange, 200, ok(json.getNodeFactory().booleanNode(true)));
            }
            case "deletewebhook" -> {
                lock.lock();
                try {
                    webhookUrl = "";
                    if (body.path("drop_pending_updates").asBoolean(false)) {
                        updates.clear();
                    }
                } finally {
                    lock.unlock();
                }
                record(method, body, Optional.empty(), 200);
                reply(exchange, 200, ok(json.getNodeFactory().booleanNode(true)));
            }
            case "getwebhookinfo" -> {
                record(method, body, Optional.empty(), 200);
                reply(exchange, 200, ok(webhookInfo()));
            }
            case "getme" -> {
                record(method, body, Optional.empty(), 200, arrivedAt);
                reply(exchange, 200, ok(botNode()));
            }
            case "sendmediagroup" -> {
                long chat = body.path("chat_id").asLong();
                JsonNode items = albumItems(body);
                ArrayNode messages = json.createArrayNode();
                int first = nextMessageIds(items.size());
                for (int i = 0; i < items.size(); i++) {
                    remember(chat, first + i, true);
                    ObjectNode message = messages.addObject();
                    message.put("message_id", first + i);
                    message.put("date", now());
                    message.putObject("chat").put("id", chat).put("type", chatType(chat));
                    message.put("media_group_id", "album-" + first);
                }
                record(method, body, Optional.of(first), 200);
                reply(exchange, 200, ok(messages));
            }
            case "editmessagecaption" -> {
                long chat = body.path("chat_id").asLong();
                int messageId = body.path("message_id").asInt();
                BotMessage target = botMessages.getOrDefault(chat, Map.of()).get(messageId);
                if (target == null || !target.hasCaption()) {
                    record(method, body, Optional.empty(), 400);
                    reply(exchange, 400, error(400, target == null ? "Bad Request: message to edit not found"
                            : "Bad Request: there is no caption in the message to edit"));
                    return;
                }
                record(method, body, Optional.of(messageId), 200);
                ObjectNode message = json.createObjectNode();
                message.put("message_id", messageId);
                message.put("date", now());
                message.putObject("chat").put("id", chat).put("type", chatType(chat));
                message.put("caption", body.path("caption").asText(""));
                reply(exchange, 200, ok(message));
            }
            case "deletemessage", "deletemessages" -> {
                long chat = body.path("chat_id").asLong();
                List<Integer> ids = new ArrayList<>();
                if (method.equals("deletemessage")) {
                    ids.add(body.path("message_id").asInt());
                } else {
                    JsonNode listed = body.path("message_ids");
                    if (listed.isTextual()) {
                        listed = json.readTree(listed.asText());
                    }
                    listed.forEach(id -> ids.add(id.asInt()));
                }
                Map<Integer, BotMessage> inChat = botMessages.getOrDefault(chat, new ConcurrentHashMap<>());
                Instant now = clock.instant();
                Optional<String> refusal = ids.stream().map(id -> inChat.get(id) == null
                                ? "Bad Request: message to delete not found"
                                : inChat.get(id).sentAt().plus(DELETABLE_FOR).isBefore(now)
                                ? "Bad Request: message can't be deleted for everyone" : null)
                        .filter(reason -> reason != null).findFirst();
                if (refusal.isPresent()) {
                    record(method, body, Optional.empty(), 400);
                    reply(exchange, 400, error(400, refusal.get()));
                    return;
                }
                ids.forEach(inChat::remove);
                record(method, body, Optional.empty(), 200);
                reply(exchange, 200, ok(json.getNodeFactory().booleanNode(true)));
            }
            case "pinchatmessage" -> {
                long chat = body.path("chat_id").asLong();
                if (chatsWithoutPinRight.contains(chat)) {
                    record(method, body, Optional.empty(), 400);
                    reply(exchange, 400, error(400, "Bad Request: not enough rights to manage pinned messages in the chat"));
                    return;
                }
                if (!botMessages.getOrDefault(chat, Map.of()).containsKey(body.path("message_id").asInt())) {
                    record(method, body, Optional.empty(), 400);
                    reply(exchange, 400, error(400, "Bad Request: message to pin not found"));
                    return;
                }
                record(method, body, Optional.empty(), 200);
                reply(exchange, 200, ok(json.getNodeFactory().booleanNode(true)));
            }
            case "copymessage" -> {
                int messageId = nextMessageId();
                remember(body.path("chat_id").asLong(), messageId, true);
                record(method, body, Optional.of(messageId), 200);
                reply(exchange, 200, ok(json.createObjectNode().put("message_id", messageId)));
            }
            case "sendmessage", "senddocument", "sendphoto", "sendvideo", "editmessagetext" -> {
                long chat = body.path("chat_id").asLong();
                int messageId = method.equals("editmessagetext") ? body.path("message_id").asInt() : nextMessageId();
                if (method.equals("editmessagetext")) {
                    Optional<String> refused = refusedEdit(chat, messageId, body);
                    if (refused.isPresent()) {
                        record(method, body, Optional.empty(), 400, arrivedAt);
                        reply(exchange, 400, error(400, refused.get()));
                        return;
                    }
                }
                remember(chat, messageId, !method.equals("sendmessage") && !method.equals("editmessagetext"),
                        shown(body));
                record(method, body, Optional.of(messageId), 200, arrivedAt);
                ObjectNode message = json.createObjectNode();
                message.put("message_id", messageId);
                message.put("date", now());
                message.putObject("chat").put("id", body.path("chat_id").asLong())
                        .put("type", chatType(body.path("chat_id").asLong()));
                message.set("from", botNode());
                message.put("text", body.path("text").asText(""));
                reply(exchange, 200, ok(message));
            }
            default -> {
                record(method, body, Optional.empty(), 200, arrivedAt);
                reply(exchange, 200, ok(json.getNodeFactory().booleanNode(true)));
            }
        }
    }

    private ArrayNode pendingUpdates(int offset, int limit, int timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, timeoutSeconds));
        lock.lock();
        try {
            // Telegram forgets every update before the offset once it is asked for it, and never makes the types
            // the bot did not ask for.
            updates.removeIf(update -> update.path("update_id").asInt() < offset || !allowed(update));
            while (updates.isEmpty() && !closed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                changed.awaitNanos(remaining);
                updates.removeIf(update -> !allowed(update));
            }
            ArrayNode result = json.createArrayNode();
            updates.stream().limit(limit).forEach(result::add);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return json.createArrayNode();
        } finally {
            lock.unlock();
        }
    }

    /** getUpdates and setWebhook may name the update types wanted (a JSON array, or its text in a form). */
    private void rememberAllowedUpdates(JsonNode body) {
        JsonNode given = body.path("allowed_updates");
        if (given.isTextual()) {
            try {
                given = json.readTree(given.asText());
            } catch (IOException e) {
                return;
            }
        }
        if (given.isArray()) {
            Set<String> types = new HashSet<>();
            given.forEach(type -> types.add(type.asText()));
            lock.lock();
            try {
                allowedUpdates = Set.copyOf(types);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether Telegram would make this update for the bot, given the types it asked for. Under {@link #lock}. */
    private boolean allowed(JsonNode update) {
        Iterator<String> fields = update.fieldNames();
        while (fields.hasNext()) {
            String type = fields.next();
            if (!type.equals("update_id")) {
                return allowedUpdates.isEmpty() ? !Set.of("chat_member", "message_reaction",
                        "message_reaction_count").contains(type) : allowedUpdates.contains(type);
            }
        }
        return true;
    }

    // ---- the webhook ---------------------------------------------------------------------------------------

    /**
     * Sets a webhook on the token as another program would (not the bot): Telegram then refuses the bot's
     * getUpdates with 409 until it is deleted. {@code null} deletes it.
     */
    public void webhookSetElsewhere(String url) {
        lock.lock();
        try {
            webhookUrl = url == null ? "" : url;
            webhookSecret = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The URL the bot registered with setWebhook, if any. */
    public Optional<String> webhookUrl() {
        lock.lock();
        try {
            return webhookUrl.isEmpty() ? Optional.empty() : Optional.of(webhookUrl);
        } finally {
            lock.unlock();
        }
    }

    private boolean webhookSet() {
        return webhookUrl().isPresent();
    }

    private ObjectNode webhookInfo() {
        lock.lock();
        try {
            ObjectNode info = json.createObjectNode();
            info.put("url", webhookUrl);
            info.put("has_custom_certificate", false);
            info.put("pending_update_count", updates.size());
            if (lastErrorMessage != null) {
                info.put("last_error_date", lastErrorDate);
                info.put("last_error_message", lastErrorMessage);
            }
            return info;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Pushes waiting updates to the webhook while one is set, in order, one at a time, with the secret header, as
     * Telegram does: an update leaves the queue when the bot answers 2xx; otherwise the error is kept for
     * getWebhookInfo and the push is tried again a little later.
     */
    private void pushToWebhook() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        while (true) {
            ObjectNode update;
            String url;
            String secret;
            lock.lock();
            try {
                while (!closed && (webhookUrl.isEmpty() || updates.isEmpty())) {
                    changed.await();
                }
                if (closed) {
                    return;
                }
                updates.removeIf(waiting -> !allowed(waiting));
                if (updates.isEmpty()) {
                    continue;
                }
                update = updates.get(0);
                url = webhookUrl;
                secret = webhookSecret;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            int status;
            String problem;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(update)));
                if (secret != null) {
                    request.header("X-Telegram-Bot-Api-Secret-Token", secret);
                }
                status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                problem = "Wrong response from the webhook: " + status;
            } catch (IOException e) {
                status = 0;
                problem = "Connection refused";
            } catch (InterruptedException e) {
                return;
            }
            record(PUSH, update, Optional.empty(), status);
            lock.lock();
            try {
                if (status >= 200 && status < 300) {
                    updates.removeIf(waiting -> waiting == update);
                } else {
                    lastErrorDate = now();
                    lastErrorMessage = problem;
                    changed.await(100, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Serves update {@code updateId} again, as Telegram does when it did not see it confirmed. */
    public void resend(int updateId) {
        lock.lock();
        try {
            updates.add(sent.get(updateId).deepCopy());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private int enqueue(String kind, ObjectNode payload) {
        lock.lock();
        try {
            ObjectNode update = json.createObjectNode();
            int id = nextUpdateId++;
            update.put("update_id", id);
            update.set(kind, payload);
            sent.put(id, update.deepCopy());
            updates.add(update);
            changed.signalAll();
            return id;
        } finally {
            lock.unlock();
        }
    }

    private int nextMessageId() {
        return nextMessageIds(1);
    }

    /** {@code count} consecutive message ids, as Telegram numbers an album; returns the first. */
    private int nextMessageIds(int count) {
        lock.lock();
        try {
            int first = nextMessageId;
            nextMessageId += count;
            return first;
        } finally {
            lock.unlock();
        }
    }

    private void remember(long chat, int messageId, boolean hasCaption) {
        remember(chat, messageId, hasCaption, "");
    }

    /** Keeps the message's first sending time across edits, as Telegram's 48-hour windows count from it. */
    private void remember(long chat, int messageId, boolean hasCaption, String shown) {
        botMessages.computeIfAbsent(chat, id -> new ConcurrentHashMap<>()).merge(messageId,
                new BotMessage(clock.instant(), hasCaption, shown),
                (before, edited) -> new BotMessage(before.sentAt(), before.hasCaption(), edited.shown()));
    }

    /** What a text message shows: its text as sent and its buttons, normalised (multipart sends them as a string). */
    private String shown(JsonNode body) {
        JsonNode markup = body.path("reply_markup");
        if (markup.isTextual()) {
            try {
                markup = json.readTree(markup.asText());
            } catch (IOException e) {
                markup = json.getNodeFactory().textNode(markup.asText());
            }
        }
        return body.path("text").asText("") + "\u0000" + (markup.isMissingNode() ? "" : markup.toString());
    }

    /**
     * Why Telegram would refuse to edit the text of {@code messageId}, if it would: a message the bot never sent
     * there, one with media (its caption is edited otherwise), or an edit that changes nothing, which Telegram
     * answers 400 "message is not modified" (a button pressed twice redraws the same card).
     */
    private Optional<String> refusedEdit(long chat, int messageId, JsonNode body) {
        BotMessage target = botMessages.getOrDefault(chat, Map.of()).get(messageId);
        if (target == null) {
            return Optional.of("Bad Request: message to edit not found");
        }
        if (target.hasCaption()) {
            return Optional.of("Bad Request: there is no text in the message to edit");
        }
        if (target.shown().equals(shown(body))) {
            return Optional.of("Bad Request: message is not modified: specified new message content and reply "
                    + "markup are exactly the same as a current content and reply markup of the message");
        }
        return Optional.empty();
    }

    private void delayIfSlow(String method, JsonNode body) {
        Hold hold = SENDING_METHODS.contains(method) ? holds.remove(body.path("chat_id").asLong()) : null;
        if (hold != null) {
            hold.arrived().countDown();
            try {
                hold.released().await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Duration delay = latency;
        if (SENDING_METHODS.contains(method) && !delay.isZero()) {
            sleep(delay);
        }
    }

    /** Records a request of a method answered outside the request's handler, as having arrived now. */
    private void record(String method, JsonNode body, Optional<Integer> messageId, int status) {
        record(method, body, messageId, status, System.nanoTime());
    }

    private void record(String method, JsonNode body, Optional<Integer> messageId, int status, long arrivedAt) {
        requests.add(new RecordedRequest(method, body, messageId, status, arrivedAt));
        recordedLock.lock();
        try {
            recorded.signalAll();
        } finally {
            recordedLock.unlock();
        }
    }

    private ObjectNode message(FakeUser user) {
        ObjectNode message = json.createObjectNode();
        message.put("message_id", nextMessageId());
        message.put("date", now());
        message.set("chat", privateChat(user));
        message.set("from", userNode(user));
        return message;
    }

    private ObjectNode userNode(FakeUser user) {
        ObjectNode node = json.createObjectNode();
        node.put("id", user.id());
        node.put("is_bot", false);
        node.put("first_name", user.firstName());
        if (user.languageCode() != null) {
            node.put("language_code", user.languageCode());
        }
        return node;
    }

    private ObjectNode privateChat(FakeUser user) {
        return json.createObjectNode().put("id", user.chatId()).put("type", "private").put("first_name", user.firstName());
    }

    private ObjectNode botNode() {
        return json.createObjectNode().put("id", 123456789L).put("is_bot", true).put("first_name", "Forum Gateway")
                .put("username", BOT_USERNAME);
    }

    private ObjectNode ok(JsonNode result) {
        ObjectNode node = json.createObjectNode();
        node.put("ok", true);
        node.set("result", result);
        return node;
    }

    private ObjectNode error(int code, String description) {
        return json.createObjectNode().put("ok", false).put("error_code", code).put("description", description);
    }

    private void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The type Telegram gives a chat by its id: people have positive ids, supergroups -100…, basic groups the rest. */
    private static String chatType(long chatId) {
        return chatId > 0 ? "private" : chatId <= -1_000_000_000_000L ? "supergroup" : "group";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A scripted answer; {@code retryAfter} above 0 goes in its parameters, as a 429's does. */
    private record ScriptedError(int status, String description, int retryAfter) {
    }

    /**
     * A message the bot sent: when, whether it is a media message that has a caption to edit, and what a text
     * message shows now ({@link #shown}; empty for others).
     */
    private record BotMessage(Instant sentAt, boolean hasCaption, String shown) {
    }

    /** Thrown out of the handler so the JDK server closes the connection without an answer. */
    private static final class DroppedConnection extends RuntimeException {
        DroppedConnection() {
            super("dropped on purpose", null, false, false);
        }
    }

    /** Telegram's flood limits: token buckets overall and per chat, and a minute's count per group. */
    private static final class Limits {
        /** "No more than 20 messages per minute to the same group" (Bots FAQ), read as strictly as it can be. */
        private static final int GROUP_PER_MINUTE = 20;
        private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
        private final double globalPerNano;
        private final double globalBurst;
        private final double chatPerNano;
        private final double chatBurst;
        private double globalTokens;
        private long globalAt = System.nanoTime();
        private final Map<Long, double[]> chats = new HashMap<>();
        private final Map<Long, Deque<Long>> groupSends = new HashMap<>();

        Limits(double globalPerSecond, double chatPerSecond, int chatBurst) {
            this.globalPerNano = globalPerSecond / 1e9;
            // Telegram tolerates short bursts; a fifth of a second's worth also absorbs this server's own
            // scheduling jitter on a busy 2-core machine, which compresses arrivals.
            this.globalBurst = Math.max(1, globalPerSecond / 5);
            this.chatPerNano = chatPerSecond / 1e9;
            this.chatBurst = chatBurst;
            this.globalTokens = globalBurst;
        }

        /** Takes a token from both buckets; else how long until both have one, in nanoseconds (0: admitted). */
        synchronized long admit(long chat) {
            long now = System.nanoTime();
            globalTokens = Math.min(globalBurst, globalTokens + (now - globalAt) * globalPerNano);
            globalAt = now;
            double[] bucket = chats.computeIfAbsent(chat, id -> new double[] {chatBurst, now});
            bucket[0] = Math.min(chatBurst, bucket[0] + (now - (long) bucket[1]) * chatPerNano);
            bucket[1] = now;
            Deque<Long> lastMinute = chat < 0 ? groupSends.computeIfAbsent(chat, id -> new ArrayDeque<>()) : null;
            while (lastMinute != null && !lastMinute.isEmpty() && now - lastMinute.peekFirst() > MINUTE_NANOS) {
                lastMinute.removeFirst();
            }
            boolean groupFull = lastMinute != null && lastMinute.size() >= GROUP_PER_MINUTE;
            if (globalTokens < 1 || bucket[0] < 1 || groupFull) {
                double globalWait = globalTokens < 1 ? (1 - globalTokens) / globalPerNano : 0;
                double chatWait = bucket[0] < 1 ? (1 - bucket[0]) / chatPerNano : 0;
                double groupWait = groupFull ? lastMinute.peekFirst() + MINUTE_NANOS + 1 - now : 0;
                return Math.max(1, (long) Math.ceil(Math.max(Math.max(globalWait, chatWait), groupWait)));
            }
            globalTokens -= 1;
            bucket[0] -= 1;
            if (lastMinute != null) {
                lastMinute.addLast(now);
            }
            return 0;
        }
    }
}
