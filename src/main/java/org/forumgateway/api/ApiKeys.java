package org.forumgateway.api;

import org.forumgateway.announcements.AnnouncementChanges;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The keys other systems call the API with: those of API_KEYS (every scope) and those administrators create in
 * chat. Only a SHA-256 of a key is kept, in memory and in the database: a key is at least 32 characters of a
 * 64-letter alphabet (192 bits for the generated ones), so a fast hash is as safe as a slow one here, and a slow
 * password hash would cost tens of milliseconds on every request. Hashes are compared with
 * {@link MessageDigest#isEqual}, which takes the same time wherever they differ. A key created in chat is read from
 * the database on its first request and remembered; revoking deletes the row and forgets it in the same call, so a
 * revoked key stops at once. This class is the only writer of {@code api_keys}: a row deleted by hand while the bot
 * runs stops its key only after a restart (revoke it in chat instead). Thread-safe.
 */
public final class ApiKeys {
    /** What generated keys start with, so a leaked one is easy to recognise (secret scanners look for prefixes). */
    public static final String PREFIX = "fgw_";
    /**
     * How long a new key stays visible in the chat it was shown in: long enough to copy it, short enough that a lost
     * phone or a chat export a week later does not give it away.
     */
    public static final Duration SHOWN_FOR = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,40}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{32,512}");
    /** A generated key as it appears in the message that showed it: the prefix and 32 random bytes in base64url. */
    private static final Pattern SHOWN = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");

    private final Jdbi jdbi;
    private final Outbox outbox;
    private final Clock clock;
    private final Map<String, byte[]> configured;
    private final SecureRandom random = new SecureRandom();
    /** Keys created in chat that were presented since the start, by the hex of their hash. */
    private final Map<String, ApiKey> known = new java.util.concurrent.ConcurrentHashMap<>();
    /** How many revocations there were: a lookup that overlapped one does not remember what it read. */
    private long revocations;
    /** New keys shown in chat, by the chat they were shown in, until their message's text is blanked. */
    private final Map<String, Long> shownKeys = new java.util.concurrent.ConcurrentHashMap<>();
    /** The messages that showed a key, blanked, by outbox row, until their deletion from the chat is queued. */
    private final Map<Long, Outbox.ShownCopy> toDelete = new java.util.concurrent.ConcurrentHashMap<>();
    private final Notifications notifications;

    /**
     * @param outbox        where the messages that showed new keys are blanked once sent
     * @param notifications how those messages are deleted from the chat, {@link #SHOWN_FOR} after they were sent
     * @param configured    the keys of API_KEYS by name
     */
    public ApiKeys(Jdbi jdbi, Outbox outbox, Notifications notifications, Map<String, String> configured,
                   Clock clock) {
        this.jdbi = jdbi;
        this.outbox = outbox;
        this.notifications = notifications;
        this.clock = clock;
        Map<String, byte[]> hashes = new LinkedHashMap<>();
        configured.forEach((name, key) -> hashes.put(name, sha256(key)));
        this.configured = Map.copyOf(hashes);
        warnOfSharedNames();
    }

    /**
     * A name in API_KEYS that a key created in chat also has: the two secrets then act as one system (its messages,
     * external ids and rate). Allowed, so that the chat key can still be revoked, but said at every start.
     */
    private void warnOfSharedNames() {
        if (configured.isEmpty()) {
            return;
        }
        List<String> shared = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT name FROM api_keys WHERE name IN (<names>) ORDER BY name")
                .bindList("names", List.copyOf(configured.keySet())).mapTo(String.class).list());
        for (String name : shared) {
            log.warn("API_KEYS names '{}', as does a key created in chat: both act as one system (its messages, "
                    + "external ids and rate limit). /apikey revoke {} removes the chat key", name, name);
        }
    }

    /** The caller behind {@code key}, if it is a valid key. */
    public Optional<ApiKey> authenticate(String key) {
        if (!KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        byte[] hash = sha256(key);
        Optional<ApiKey> found = Optional.empty();
        // Every configured key is compared, so the time taken does not tell which one came close.
        for (Map.Entry<String, byte[]> entry : configured.entrySet()) {
            if (MessageDigest.isEqual(entry.getValue(), hash)) {
                found = Optional.of(new ApiKey(entry.getKey(), Scope.ALL));
            }
        }
        if (found.isPresent()) {
            return found;
        }
        // Lookups go by hash: their timing can only tell about the hash of the key presented, never the key.
        String hex = HexFormat.of().formatHex(hash);
        ApiKey remembered = known.get(hex);
        if (remembered != null) {
            return Optional.of(remembered);
        }
        long revokedBefore = revocationCount();
        Optional<ApiKey> stored = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT name, key_hash, scopes FROM api_keys WHERE key_hash = :hash")
                .bind("hash", hex)
                .map((rs, ctx) -> MessageDigest.isEqual(rs.getString("key_hash").getBytes(StandardCharsets.US_ASCII),
                        hex.getBytes(StandardCharsets.US_ASCII))
                        ? Optional.of(new ApiKey(rs.getString("name"), scopes(rs.getString("scopes"))))
                        : Optional.<ApiKey>empty())
                .findOne().flatMap(row -> row));
        stored.ifPresent(read -> remember(hex, read, revokedBefore));
        return stored;
    }

    private synchronized long revocationCount() {
        return revocations;
    }

    /** Remembers a key read from the database, unless it may have been revoked while it was read. */
    private synchronized void remember(String hex, ApiKey key, long revokedBefore) {
        if (revocations == revokedBefore) {
            known.put(hex, key);
        }
    }

    /** What creating a key did. */
    public sealed interface Created {
        /** The new key, shown once and never again. */
        record Key(String name, String secret, Set<Scope> scopes) implements Created {
            @Override
            public String toString() {
                return "Key[name=" + name + ", scopes=" + scopes + "]";
            }
        }

        record BadName() implements Created {
        }

        record NameTaken() implements Created {
        }
    }

    /** Creates a key named {@code name}; names are lower-case letters, digits, _ and -, unique. */
    public Created create(String name, Set<Scope> scopes, long adminId) {
        if (!NAME.matcher(name).matches() || scopes.isEmpty()) {
            return new Created.BadName();
        }
        if (configured.containsKey(name)) {
            return new Created.NameTaken();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        int inserted = jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO api_keys (name, key_hash, scopes, created_by, created_at)
                        VALUES (:name, :hash, :scopes, :admin, :now) ON CONFLICT (name) DO NOTHING""")
                .bind("name", name).bind("hash", HexFormat.of().formatHex(sha256(secret)))
                .bind("scopes", format(scopes)).bind("admin", adminId).bind("now", clock.millis()).execute());
        return inserted == 0 ? new Created.NameTaken() : new Created.Key(name, secret, Set.copyOf(scopes));
    }

    /**
     * The message that showed {@code secret} in {@code chatId} is blanked in the outbox once Telegram has it: the
     * database (and its backups) must not keep a key in clear text.
     */
    public void forgetWhenSent(long chatId, String secret) {
        shownKeys.put(secret, chatId);
    }

    /**
     * At start: the messages that showed a new key before the last stop and are not blanked yet (the list of them
     * lives in memory) are found again by the keys' prefix, and blanked once settled like the others. Only a key
     * created in chat by the administrator it was shown to counts: anything else that looks like one (an example in
     * an announcement, a link) is someone's text, and stays.
     */
    public void recoverShownKeys() {
        for (Outbox.ChatPayload row : outbox.containing(PREFIX)) {
            Matcher shown = SHOWN.matcher(row.payload());
            while (shown.find()) {
                if (createdBy(shown.group(), row.chatId())) {
                    forgetWhenSent(row.chatId(), shown.group());
                }
            }
        }
        outbox.awaitingDeletion().forEach(copy -> toDelete.put(copy.rowId(), copy));
    }

    /**
     * Blanks the outbox texts of settled messages that showed a new key, and deletes from the chat those shown
     * {@link #SHOWN_FOR} ago; called every few seconds.
     */
    public void forgetShownKeys() {
        shownKeys.forEach((secret, chat) -> {
            Outbox.Blanked blanked = outbox.blankSettledContaining(chat, secret);
            if (blanked.rows() > 0) {
                shownKeys.remove(secret);
            }
            blanked.inTheChat().forEach(copy -> toDelete.put(copy.rowId(), copy));
        });
        Instant now = clock.instant();
        for (Outbox.ShownCopy copy : toDelete.values()) {
            if (copy.sentAt().isAfter(now.minus(SHOWN_FOR))) {
                continue;
            }
            // Telegram lets a bot delete its messages for 48 hours; after a longer stop it is too late.
            boolean deletable = copy.sentAt().isAfter(now.minus(AnnouncementChanges.CHANGEABLE_FOR));
            jdbi.useTransaction(handle -> {
                if (outbox.unmarkForDeletion(handle, copy) && deletable) {
                    notifications.reply(handle, new OutgoingMessage.Delete(copy.chatId(), copy.messageId(), 1));
                }
            });
            if (!deletable) {
                log.warn("The message that showed a new API key in chat {} is too old for the bot to delete (over 48 "
                        + "hours): delete it by hand", copy.chatId());
            }
            toDelete.remove(copy.rowId());
        }
    }

    /** Whether {@code secret} is a key created in chat by {@code adminId} (and not revoked since). */
    private boolean createdBy(String secret, long adminId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM api_keys WHERE key_hash = :hash AND created_by = :admin")
                .bind("hash", HexFormat.of().formatHex(sha256(secret))).bind("admin", adminId)
                .mapTo(Integer.class).one() > 0);
    }

    /** A key as listed to administrators: never the key itself. */
    public record Listed(String name, Set<Scope> scopes, boolean fromConfiguration) {
    }

    public List<Listed> list() {
        List<Listed> keys = new java.util.ArrayList<>();
        configured.keySet().stream().sorted().forEach(name -> keys.add(new Listed(name, Scope.ALL, true)));
        keys.addAll(jdbi.withHandle(handle -> handle.createQuery("SELECT name, scopes FROM api_keys ORDER BY name")
                .map((rs, ctx) -> new Listed(rs.getString("name"), scopes(rs.getString("scopes")), false)).list()));
        return keys;
    }

    /** What revoking did. */
    public enum Revoked { REVOKED, UNKNOWN, CONFIGURED }

    /**
     * Deletes the key created in chat as {@code name}. The database is asked first: a name added to API_KEYS after a
     * key was created with it in chat would otherwise leave that key valid and impossible to revoke.
     */
    public Revoked revoke(String name) {
        int deleted = jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM api_keys WHERE name = :name")
                .bind("name", name).execute());
        forget(name);
        if (deleted > 0) {
            return Revoked.REVOKED;
        }
        return configured.containsKey(name) ? Revoked.CONFIGURED : Revoked.UNKNOWN;
    }

    private synchronized void forget(String name) {
        revocations++;
        known.values().removeIf(key -> key.name().equals(name));
    }

    /** Scopes from words such as {@code send,read}; empty when a word is not a scope. */
    public static Optional<Set<Scope>> parseScopes(String text) {
        Set<Scope> scopes = new TreeSet<>();
        for (String word : text.split("[,\\s]+")) {
            if (word.isBlank()) {
                continue;
            }
            Optional<Scope> scope = Scope.fromCode(word);
            if (scope.isEmpty()) {
                return Optional.empty();
            }
            scopes.add(scope.get());
        }
        return Optional.of(scopes.isEmpty() ? Scope.ALL : scopes);
    }

    public static String format(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::code).collect(Collectors.joining(","));
    }

    private static Set<Scope> scopes(String stored) {
        return Arrays.stream(stored.split(",")).map(Scope::fromCode).flatMap(Optional::stream)
                .collect(Collectors.toSet());
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
