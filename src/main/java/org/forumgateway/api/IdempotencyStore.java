package org.forumgateway.api;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Idempotency-Key records (IETF httpapi draft), per API key: the first request with a key claims it; its answer is
 * stored in the transaction that does the work, and replayed to every retry with the same body. A claim whose
 * request died (a crash) lapses after {@link #LEASE}. Thread-safe.
 */
final class IdempotencyStore {
    /** Longer than any request takes; a claim older than this belonged to a request that will never finish. */
    static final Duration LEASE = Duration.ofMinutes(2);

    private final Jdbi jdbi;
    private final Clock clock;

    IdempotencyStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A stored answer. */
    record Answer(int status, String location, String body) {
    }

    /** What claiming a key found. */
    sealed interface Claim {
        record Claimed() implements Claim {
        }

        record Replay(Answer answer) implements Claim {
        }

        /** The key was used with another body. */
        record Mismatch() implements Claim {
        }

        /** The first request with this key is still being handled. */
        record InProgress() implements Claim {
        }
    }

    Claim claim(String keyName, String idempotencyKey, String requestHash) {
        return jdbi.inTransaction(handle -> claim(handle, keyName, idempotencyKey, requestHash));
    }

    /**
     * What claiming the key would find, read without claiming: empty when it is unused (or its claim lapsed). The
     * claim itself still decides, in the write: two first requests may both find nothing here.
     */
    Optional<Claim> find(String keyName, String idempotencyKey, String requestHash) {
        long now = clock.millis();
        return jdbi.withHandle(handle -> stored(handle, keyName, idempotencyKey))
                .flatMap(stored -> existing(stored, requestHash, now));
    }

    /** The same, inside the caller's write transaction. */
    Claim claim(Handle handle, String keyName, String idempotencyKey, String requestHash) {
        long now = clock.millis();
        int inserted = handle.createUpdate("""
                        INSERT INTO api_idempotency (key_name, idempotency_key, request_hash, state, created_at)
                        VALUES (:key, :idem, :hash, 'in_progress', :now) ON CONFLICT DO NOTHING""")
                .bind("key", keyName).bind("idem", idempotencyKey).bind("hash", requestHash).bind("now", now)
                .execute();
        if (inserted > 0) {
            return new Claim.Claimed();
        }
        Optional<Claim> existing = existing(stored(handle, keyName, idempotencyKey).orElseThrow(), requestHash,
                now);
        if (existing.isPresent()) {
            return existing.get();
        }
        handle.createUpdate("""
                        UPDATE api_idempotency SET created_at = :now
                        WHERE key_name = :key AND idempotency_key = :idem""")
                .bind("now", now).bind("key", keyName).bind("idem", idempotencyKey).execute();
        return new Claim.Claimed();
    }

    private static Optional<Stored> stored(Handle handle, String keyName, String idempotencyKey) {
        return handle.createQuery("""
                        SELECT request_hash, state, status, location, body, created_at FROM api_idempotency
                        WHERE key_name = :key AND idempotency_key = :idem""")
                .bind("key", keyName).bind("idem", idempotencyKey)
                .map((rs, ctx) -> new Stored(rs.getString("request_hash"), rs.getString("state"),
                        rs.getInt("status"), rs.getString("location"), rs.getString("body"),
                        rs.getLong("created_at")))
                .findOne();
    }

    /** What a key already used answers, or empty when its claim lapsed and it may be claimed again. */
    private static Optional<Claim> existing(Stored stored, String requestHash, long now) {
        if (!stored.hash().equals(requestHash)) {
            return Optional.of(new Claim.Mismatch());
        }
        if (stored.state().equals("done")) {
            return Optional.of(new Claim.Replay(new Answer(stored.status(), stored.location(), stored.body())));
        }
        if (now - stored.createdAt() < LEASE.toMillis()) {
            return Optional.of(new Claim.InProgress());
        }
        return Optional.empty();
    }

    /** Stores the answer, in the transaction that did the work. */
    void complete(Handle handle, String keyName, String idempotencyKey, Answer answer) {
        handle.createUpdate("""
                        UPDATE api_idempotency SET state = 'done', status = :status, location = :location, body = :body
                        WHERE key_name = :key AND idempotency_key = :idem""")
                .bind("status", answer.status()).bind("location", answer.location()).bind("body", answer.body())
                .bind("key", keyName).bind("idem", idempotencyKey).execute();
    }

    /** Gives a claim up: the request failed before doing anything, so a retry may try again. */
    void release(String keyName, String idempotencyKey) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        DELETE FROM api_idempotency
                        WHERE key_name = :key AND idempotency_key = :idem AND state = 'in_progress'""")
                .bind("key", keyName).bind("idem", idempotencyKey).execute());
    }

    /** Forgets records older than {@code age}: retries come within minutes, not days. */
    int purge(Duration age) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM api_idempotency WHERE created_at < :before")
                .bind("before", clock.millis() - age.toMillis()).execute());
    }

    private record Stored(String hash, String state, int status, String location, String body, long createdAt) {
    }

    static Optional<String> validKey(String value) {
        return value.length() >= 1 && value.length() <= 255 && value.chars().allMatch(c -> c > 0x20 && c < 0x7f)
                ? Optional.of(value) : Optional.empty();
    }
}
