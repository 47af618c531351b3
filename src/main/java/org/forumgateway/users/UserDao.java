package org.forumgateway.users;

import org.forumgateway.storage.Columns;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.EmptyHandling;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** SQL for the users table: the one class that writes it. Thread-safe. */
public final class UserDao {
    private static final RowMapper<User> USER = (rs, ctx) -> new User(
            rs.getLong("telegram_id"),
            rs.getString("first_name"),
            Optional.ofNullable(rs.getString("last_name")),
            Optional.ofNullable(rs.getString("username")),
            Optional.ofNullable(rs.getString("telegram_language")),
            Optional.ofNullable(rs.getString("locale")),
            Optional.ofNullable(rs.getString("time_zone")).map(ZoneId::of),
            Role.fromCode(rs.getString("role")),
            Optional.ofNullable(rs.getString("country")),
            Columns.optionalInt(rs, "cohort_number"),
            "blocked".equals(rs.getString("status")),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            Instant.ofEpochMilli(rs.getLong("last_seen_at")));

    private final Jdbi jdbi;

    public UserDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The user blocked the bot: audiences skip them until they write again. False when nothing changed: the bot does
     * not know them, knew of the block already, or their status changed after {@code seenBefore}.
     *
     * @param seenBefore when what says they blocked the bot was true: a refused message's sending. A refusal that
     *                   comes back after the bot learnt they unblocked it (from Telegram's update, or because they
     *                   wrote to it while marked blocked) says nothing now; any other change of their row since (a
     *                   new role, a chosen language) does not matter.
     */
    public boolean markBlocked(Handle handle, long telegramId, Instant now, Instant seenBefore) {
        return handle.createUpdate("""
                        UPDATE users SET status = 'blocked', status_changed_at = :now, updated_at = :now
                        WHERE telegram_id = :id AND status <> 'blocked'
                          AND coalesce(status_changed_at, 0) <= :seenBefore""")
                .bind("now", now.toEpochMilli()).bind("id", telegramId)
                .bind("seenBefore", seenBefore.toEpochMilli()).execute() > 0;
    }

    /** The user unblocked the bot: audiences count them again. */
    public void markActive(Handle handle, long telegramId, Instant now) {
        handle.createUpdate("""
                        UPDATE users SET status = 'active', status_changed_at = :now, updated_at = :now
                        WHERE telegram_id = :id AND status = 'blocked'""")
                .bind("now", now.toEpochMilli()).bind("id", telegramId).execute();
    }

    /** What an invite grants: a role, and a country or cohort when it names one (the others stay). */
    public void applyInvite(Handle handle, long telegramId, Role role, Optional<String> country,
                            Optional<Integer> cohort, Instant now) {
        handle.createUpdate("""
                        UPDATE users SET role = :role,
                            country = coalesce(:country, country),
                            cohort_number = coalesce(:cohort, cohort_number),
                            updated_at = :now
                        WHERE telegram_id = :user""")
                .bind("role", role.code())
                .bind("country", country.orElse(null))
                .bind("cohort", cohort.orElse(null))
                .bind("now", now.toEpochMilli())
                .bind("user", telegramId)
                .execute();
    }

    /**
     * Inserts the user or refreshes what Telegram says about them. A user who writes to the bot has evidently not
     * blocked it, so the status returns to active. A username is one account's at a time: whoever else it is stored
     * for gave it up since they last wrote, and loses it here, so that {@code /staff add @name} finds the account
     * that has it now, not one that had it before.
     */
    User upsert(TelegramProfile profile, Instant now) {
        return jdbi.inTransaction(handle -> {
            profile.username().ifPresent(username -> handle.createUpdate("""
                            UPDATE users SET username = NULL, updated_at = :now
                            WHERE username = :username COLLATE NOCASE AND telegram_id <> :id""")
                    .bind("username", username).bind("id", profile.telegramId()).bind("now", now.toEpochMilli())
                    .execute());
            return upsert(handle, profile, now);
        });
    }

    private static User upsert(Handle handle, TelegramProfile profile, Instant now) {
        return handle.createQuery("""
                        INSERT INTO users (telegram_id, first_name, last_name, username, telegram_language,
                                           created_at, updated_at, last_seen_at)
                        VALUES (:id, :firstName, :lastName, :username, :language, :now, :now, :now)
                        ON CONFLICT (telegram_id) DO UPDATE SET
                            first_name = excluded.first_name,
                            last_name = excluded.last_name,
                            username = excluded.username,
                            telegram_language = excluded.telegram_language,
                            status = 'active',
                            status_changed_at = CASE WHEN users.status <> 'active' THEN excluded.updated_at
                                                     ELSE users.status_changed_at END,
                            updated_at = CASE WHEN users.first_name IS NOT excluded.first_name
                                                OR users.last_name IS NOT excluded.last_name
                                                OR users.username IS NOT excluded.username
                                                OR users.telegram_language IS NOT excluded.telegram_language
                                                OR users.status <> 'active'
                                              THEN excluded.updated_at ELSE users.updated_at END,
                            last_seen_at = excluded.last_seen_at
                        RETURNING *
                        """)
                .bind("id", profile.telegramId())
                .bind("firstName", profile.firstName())
                .bind("lastName", profile.lastName().orElse(null))
                .bind("username", profile.username().orElse(null))
                .bind("language", profile.languageCode().orElse(null))
                .bind("now", now.toEpochMilli())
                .map(USER)
                .one();
    }

    /** The user wrote to the bot at {@code now}: what {@link #upsert} does for a user Telegram describes as stored. */
    void touch(Handle handle, long telegramId, Instant now) {
        handle.createUpdate("UPDATE users SET last_seen_at = :now WHERE telegram_id = :id")
                .bind("now", now.toEpochMilli()).bind("id", telegramId).execute();
    }

    /** Deletes the user's row: the last step of erasing them, once every table that names them has let go. */
    void delete(Handle handle, long telegramId) {
        handle.createUpdate("DELETE FROM users WHERE telegram_id = :id").bind("id", telegramId).execute();
    }

    Optional<User> find(long telegramId) {
        return jdbi.withHandle(handle -> find(handle, telegramId));
    }

    Optional<User> find(Handle handle, long telegramId) {
        return handle.createQuery("SELECT * FROM users WHERE telegram_id = :id")
                .bind("id", telegramId)
                .map(USER)
                .findOne();
    }

    /**
     * The users of {@code telegramIds} the bot knows, in one read. The ids go in as one JSON array: a list expanded
     * into the SQL would make a new statement for every length, each prepared anew and pushing the connection's hot
     * statements out of its cache.
     */
    List<User> findAll(Handle handle, List<Long> telegramIds) {
        return handle.createQuery("SELECT * FROM users WHERE telegram_id IN (SELECT value FROM json_each(:ids))")
                .bind("ids", Columns.jsonArray(telegramIds))
                .map(USER).list();
    }

    void updateLocale(long telegramId, String locale, Instant now) {
        update("UPDATE users SET locale = :value, updated_at = :now WHERE telegram_id = :id", telegramId, locale, now);
    }

    void updateTimeZone(long telegramId, ZoneId zone, Instant now) {
        update("UPDATE users SET time_zone = :value, updated_at = :now WHERE telegram_id = :id", telegramId,
                zone.getId(), now);
    }

    Optional<User> findByUsername(String username) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM users WHERE username = :username COLLATE NOCASE ORDER BY last_seen_at DESC LIMIT 1")
                .bind("username", username)
                .map(USER)
                .findOne());
    }

    void updateRole(Handle handle, long telegramId, Role role, Instant now) {
        handle.createUpdate("UPDATE users SET role = :value, updated_at = :now WHERE telegram_id = :id")
                .bind("id", telegramId).bind("value", role.code()).bind("now", now.toEpochMilli()).execute();
    }

    /** Stored quiet hours as {start, end}; empty when never set. */
    Optional<int[]> quietHours(long telegramId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT quiet_start, quiet_end FROM users WHERE telegram_id = :id AND quiet_start IS NOT NULL")
                .bind("id", telegramId)
                .map((rs, ctx) -> new int[] {rs.getInt("quiet_start"), rs.getInt("quiet_end")})
                .findOne());
    }

    void updateQuietHours(long telegramId, int start, int end, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE users SET quiet_start = :start, quiet_end = :end, updated_at = :now WHERE telegram_id = :id""")
                .bind("start", start).bind("end", end).bind("now", now.toEpochMilli()).bind("id", telegramId).execute());
    }

    boolean digest(long telegramId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT digest FROM users WHERE telegram_id = :id")
                .bind("id", telegramId).mapTo(Integer.class).findOne().orElse(0) == 1);
    }

    void updateDigest(long telegramId, boolean wanted, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "UPDATE users SET digest = :digest, updated_at = :now WHERE telegram_id = :id")
                .bind("digest", wanted ? 1 : 0).bind("now", now.toEpochMilli()).bind("id", telegramId).execute());
    }

    /**
     * The census of the people the bot can reach (as audiences count them), with the administrators of
     * {@code adminIds} counted as staff whatever role is stored for them.
     */
    Census census(Set<Long> adminIds, Instant joinedSince) {
        record Group(Role role, String country, int cohort, long people) {
        }
        // Three reads, not one transaction: a write transaction would hold up the bot's writers, and a count that
        // moved by one between them is as true a second later.
        return jdbi.withHandle(handle -> {
            List<Group> groups = handle.createQuery("""
                            SELECT CASE WHEN telegram_id IN (<admins>) THEN 'staff' ELSE role END AS counted_as,
                                   coalesce(country, '') AS country_code, coalesce(cohort_number, 0) AS cohort_no,
                                   count(*) AS people
                            FROM users WHERE status = 'active'
                            GROUP BY counted_as, country_code, cohort_no""")
                    .bindList(EmptyHandling.NULL_KEYWORD, "admins", List.copyOf(adminIds))
                    .map((rs, ctx) -> new Group(Role.fromCode(rs.getString("counted_as")),
                            rs.getString("country_code"), rs.getInt("cohort_no"), rs.getLong("people")))
                    .list();
            Map<String, Long> delegates = new HashMap<>();
            Map<Integer, Long> supporters = new TreeMap<>();
            long staff = 0;
            long withoutRole = 0;
            for (Group group : groups) {
                switch (group.role()) {
                    case DELEGATE -> delegates.merge(group.country(), group.people(), Long::sum);
                    case SUPPORTER -> supporters.merge(group.cohort(), group.people(), Long::sum);
                    case STAFF, ADMIN -> staff += group.people();
                    case GUEST -> withoutRole += group.people();
                }
            }
            long blocked = handle.createQuery("SELECT count(*) FROM users WHERE status = 'blocked'")
                    .mapTo(Long.class).one();
            long joined = handle.createQuery(
                            "SELECT count(*) FROM users WHERE status = 'active' AND created_at >= :since")
                    .bind("since", joinedSince.toEpochMilli()).mapTo(Long.class).one();
            // A country's delegates may sit in several groups (a cohort kept from before): most first once summed.
            Map<String, Long> byCountry = new LinkedHashMap<>();
            delegates.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(entry -> byCountry.put(entry.getKey(), entry.getValue()));
            return new Census(blocked, joined, byCountry, supporters, staff, withoutRole);
        });
    }

    private void update(String sql, long telegramId, String value, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate(sql)
                .bind("id", telegramId)
                .bind("value", value)
                .bind("now", now.toEpochMilli())
                .execute());
    }
}
