package org.forumgateway.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.Update;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    private final ObjectMapper json = new ObjectMapper();

    public UpdateInbox(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Stores a batch in one transaction and returns the updates not seen before, in order. */
    List<Update> storeNew(List<Update> updates) {
        return jdbi.inTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (:id, :payload, :now)""");
            for (Update update : updates) {
                batch.bind("id", update.getUpdateId()).bind("payload", write(update)).bind("now", clock.millis()).add();
            }
            int[] inserted = updates.isEmpty() ? new int[0] : batch.execute();
            List<Update> fresh = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                if (inserted[i] > 0) {
                    fresh.add(updates.get(i));
                }
            }
            return fresh;
        });
    }

    void handled(int updateId) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE inbox SET handled = 1 WHERE update_id = :id")
                .bind("id", updateId).execute());
    }

    /** Updates stored but not handled when the bot last stopped, in order. */
    List<Update> unhandled() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT payload FROM inbox WHERE handled = 0 ORDER BY update_id")
                .mapTo(String.class).list()).stream().map(this::read).toList();
    }

    /** Forgets handled updates Telegram can no longer send again. */
    public int purge() {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM inbox WHERE handled = 1 AND received_at < :before")
                .bind("before", clock.instant().minus(REMEMBER).toEpochMilli()).execute());
    }

    private String write(Update update) {
        try {
            return json.writeValueAsString(update);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store update " + update.getUpdateId(), e);
        }
    }

    private Update read(String payload) {
        try {
            return json.readValue(payload, Update.class);
        } catch (JsonProcessingException e) {
            log.error("A stored update cannot be read back; skipping it", e);
            return new Update();
        }
    }
}
