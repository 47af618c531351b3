package org.forumgateway.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.Update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Updates stored before they are handled, so a crash loses none, and recognised when Telegram sends one again,
 * so none is handled twice. Thread-safe.
 */
public final class UpdateInbox {
    private static final Logger log = LoggerFactory.getLogger(UpdateInbox.class);
    /** Telegram keeps unconfirmed updates 24 hours; handled ids are remembered twice as long. */
    private static final Duration REMEMBER = Duration.ofHours(48);

    private final Jdbi jdbi;
    private final Clock clock;
    /** Reads back what Telegram sent as it was, fields this library version does not know included. */
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final IntConsumer received;

    public UpdateInbox(Jdbi jdbi, Clock clock) {
        this(jdbi, clock, count -> { });
    }

    /** @param received told how many new updates each stored batch brought (metrics) */
    public UpdateInbox(Jdbi jdbi, Clock clock, IntConsumer received) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.received = received;
    }

    /**
     * Stores a batch in one transaction and returns the updates not seen before, in order. An update that cannot
     * be written as JSON (the library's getters throw on entity offsets out of range) is stored as handled, with
     * only its id, and left out: it is recognised if resent and never holds up the rest.
     *
     * @throws RuntimeException when the database refuses the write (locked, full, read-only); nothing is stored
     */
    List<Update> storeNew(List<Update> updates) {
        List<Integer> ids = updates.stream().map(Update::getUpdateId).toList();
        List<Boolean> fresh = store(ids, updates.stream().map(this::write).toList());
        List<Update> stored = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            if (fresh.get(i)) {
                stored.add(updates.get(i));
            }
        }
        return stored;
    }

    /**
     * Stores pushed updates in one transaction, each as the JSON Telegram sent (nothing to write out again on the
     * push's writer thread), and returns the ids of those not seen before.
     *
     * @throws RuntimeException when the database refuses the write; nothing is stored
     */
    Set<Integer> storeReceived(List<Received> received) {
        List<Integer> ids = received.stream().map(Received::updateId).toList();
        List<Boolean> fresh = store(ids, received.stream().map(one -> Optional.of(one.json())).toList());
        Set<Integer> stored = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (fresh.get(i)) {
                stored.add(ids.get(i));
            }
        }
        return stored;
    }

    /** An update Telegram pushed: its id and the JSON body as sent. */
    record Received(int updateId, String json) {
    }

    /** Stores each update (empty payload: unreadable, kept as handled) and tells which were new and readable. */
    private List<Boolean> store(List<Integer> ids, List<Optional<String>> payloads) {
        List<Boolean> fresh = jdbi.inTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT OR IGNORE INTO inbox (update_id, payload, received_at, handled)
                    VALUES (:id, :payload, :now, :handled)""");
            for (int i = 0; i < ids.size(); i++) {
                Optional<String> payload = payloads.get(i);
                batch.bind("id", ids.get(i))
                        .bind("payload", payload.orElse(unreadable(ids.get(i))))
                        .bind("now", clock.millis())
                        .bind("handled", payload.isPresent() ? 0 : 1)
                        .add();
            }
            int[] inserted = ids.isEmpty() ? new int[0] : batch.execute();
            List<Boolean> isNew = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                isNew.add(inserted[i] > 0 && payloads.get(i).isPresent());
            }
            return isNew;
        });
        received.accept((int) fresh.stream().filter(Boolean::booleanValue).count());
        return fresh;
    }

    /** The instant of the newest stored update, if any: what the health check reports in webhook mode. */
    Optional<Instant> lastReceived() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT MAX(received_at) FROM inbox")
                .mapTo(Long.class).findOne()).map(Instant::ofEpochMilli);
    }

    void handled(int updateId) {
        jdbi.useHandle(handle -> handled(handle, updateId));
    }

    /** Marks the update handled inside the caller's transaction: the one that writes what handling it caused. */
    void handled(Handle handle, int updateId) {
        handle.createUpdate("UPDATE inbox SET handled = 1 WHERE update_id = :id").bind("id", updateId).execute();
    }

    /**
     * Updates stored but not handled when the bot last stopped, in order. One that cannot be read back (a push
     * whose JSON the library cannot read) is marked handled and left out, so it is not tried at every start.
     */
    List<Update> unhandled() {
        List<Map.Entry<Integer, String>> stored = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT update_id, payload FROM inbox WHERE handled = 0 ORDER BY update_id")
                .map((rs, ctx) -> Map.entry(rs.getInt("update_id"), rs.getString("payload"))).list());
        List<Update> readable = new ArrayList<>();
        for (Map.Entry<Integer, String> update : stored) {
            Optional<Update> read = read(update.getKey(), update.getValue());
            if (read.isPresent()) {
                readable.add(read.get());
            } else {
                handled(update.getKey());
            }
        }
        return readable;
    }

    /** Forgets handled updates Telegram can no longer send again. */
    public int purge() {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM inbox WHERE handled = 1 AND received_at < :before")
                .bind("before", clock.instant().minus(REMEMBER).toEpochMilli()).execute());
    }

    private Optional<String> write(Update update) {
        try {
            return Optional.of(json.writeValueAsString(update));
        } catch (JsonProcessingException | RuntimeException e) {
            log.error("Update {} cannot be stored as received and is skipped: {}", update.getUpdateId(),
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
            return Optional.empty();
        }
    }

    private static String unreadable(int updateId) {
        return "{\"update_id\":" + updateId + ",\"unreadable\":true}";
    }

    private Optional<Update> read(int updateId, String payload) {
        try {
            return Optional.of(json.readValue(payload, Update.class));
        } catch (JsonProcessingException | RuntimeException e) {
            log.error("Stored update {} cannot be read back; skipping it: {}", updateId,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
            return Optional.empty();
        }
    }
}
