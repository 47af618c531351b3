package org.forumgateway.announcements;

import org.forumgateway.groups.BotGroup;
import org.forumgateway.groups.BotGroups;
import org.forumgateway.i18n.LanguagePreference;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.storage.Columns;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.QuietHoursOf;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns audience terms into recipients: active users only (not those who blocked the bot), each in their language;
 * and the groups the bot is in now, when the terms name groups.
 */
public final class AudienceResolver {
    private final Jdbi jdbi;
    private final BotGroups groups;
    private final MessageCatalog catalog;
    private final Set<Long> adminIds;

    private final QuietHours defaultQuietHours;

    private final ZoneId defaultZone;

    public AudienceResolver(Jdbi jdbi, MessageCatalog catalog, Set<Long> adminIds, QuietHours defaultQuietHours,
                            ZoneId defaultZone) {
        // Only read here; the clock is for writes.
        this(jdbi, catalog, adminIds, defaultQuietHours, defaultZone, new BotGroups(jdbi, Clock.systemUTC()));
    }

    /** @param groups the groups the bot is in, for audiences that name groups */
    public AudienceResolver(Jdbi jdbi, MessageCatalog catalog, Set<Long> adminIds, QuietHours defaultQuietHours,
                            ZoneId defaultZone, BotGroups groups) {
        this.groups = groups;
        this.defaultZone = defaultZone;
        this.jdbi = jdbi;
        this.catalog = catalog;
        this.adminIds = Set.copyOf(adminIds);
        this.defaultQuietHours = defaultQuietHours;
    }

    public List<Recipient> resolve(AudienceTerms terms) {
        return jdbi.withHandle(handle -> resolve(handle, terms));
    }

    /**
     * The same, inside the caller's transaction: it sees what the transaction wrote. People first, then the groups
     * the terms name.
     */
    public List<Recipient> resolve(Handle handle, AudienceTerms terms) {
        List<Recipient> people = terms.people() ? people(handle, terms) : List.of();
        if (!terms.includesGroups()) {
            return people;
        }
        List<Recipient> all = new ArrayList<>(people);
        groupsOf(handle, terms).forEach(group -> all.add(groupRecipient(group.chatId())));
        return all;
    }

    /**
     * The groups the bot is in now that the terms name: one by one, or all those staff vouch for (anyone can add the
     * bot to a group of their own).
     */
    public List<BotGroup> groupsOf(Handle handle, AudienceTerms terms) {
        return groups.current(handle).stream()
                .filter(group -> terms.allGroups() && group.confirmed() || terms.groups().contains(group.chatId()))
                .toList();
    }

    public List<BotGroup> groupsOf(AudienceTerms terms) {
        return jdbi.withHandle(handle -> groupsOf(handle, terms));
    }

    /**
     * The group {@code chatId} as a recipient while the bot is in it, inside the caller's transaction. A group reads
     * the default language and has no quiet hours.
     */
    public Optional<Recipient> resolveGroup(Handle handle, long chatId) {
        return groups.current(handle, chatId).map(group -> groupRecipient(group.chatId()));
    }

    /** The group {@code chatId} when the bot has left it (or was removed), as a recipient: for the record of a send. */
    public Optional<Recipient> resolveFormerGroup(Handle handle, long chatId) {
        return groups.former(handle, chatId).map(group -> groupRecipient(group.chatId()));
    }

    private Recipient groupRecipient(long chatId) {
        return new Recipient(chatId, catalog.defaultLocale(), Optional.of(defaultZone), Optional.empty());
    }

    private List<Recipient> people(Handle handle, AudienceTerms terms) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> binds = new HashMap<>();
        conditions.add("u.status = 'active'");
        if (!terms.roles().isEmpty()) {
            String admins = terms.roles().contains("staff") && !adminIds.isEmpty()
                    ? " OR u.telegram_id IN (" + adminIds.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")"
                    : "";
            conditions.add("(u.role IN (<roles>)" + admins + ")");
        }
        if (!terms.cohorts().isEmpty()) {
            conditions.add("u.cohort_number IN (<cohorts>)");
        } else if (terms.events().isEmpty()) {
            // Supporters of an archived cohort drop out of audiences that do not name it; not out of the people
            // who answered an event, who need to hear of it whatever their cohort became.
            conditions.add("NOT (u.role = 'supporter' AND u.cohort_number IS NOT NULL "
                    + "AND u.cohort_number IN (SELECT number FROM cohorts WHERE archived = 1))");
        }
        if (!terms.countries().isEmpty()) {
            conditions.add("u.country IN (<countries>)");
        }
        if (!terms.events().isEmpty()) {
            List<String> any = new ArrayList<>();
            for (int i = 0; i < terms.events().size(); i++) {
                AudienceTerms.EventTerm event = terms.events().get(i);
                String statuses = event.statuses().stream().map(status -> "'" + status.code() + "'")
                        .collect(Collectors.joining(","));
                any.add("(r.event_key = :event" + i + " AND r.status IN (" + statuses + "))");
                binds.put("event" + i, event.key());
            }
            conditions.add("EXISTS (SELECT 1 FROM rsvps r WHERE r.user_id = u.telegram_id AND ("
                    + String.join(" OR ", any) + "))");
        }
        String sql = "SELECT u.telegram_id, u.locale, u.telegram_language, u.time_zone, u.quiet_start, u.quiet_end "
                + "FROM users u WHERE "
                + String.join(" AND ", conditions) + " ORDER BY u.telegram_id";
        Query query = handle.createQuery(sql);
        if (!terms.roles().isEmpty()) {
            query.bindList("roles", new ArrayList<>(terms.roles()));
        }
        if (!terms.cohorts().isEmpty()) {
            query.bindList("cohorts", new ArrayList<>(terms.cohorts()));
        }
        if (!terms.countries().isEmpty()) {
            query.bindList("countries", new ArrayList<>(terms.countries()));
        }
        binds.forEach(query::bind);
        return query.map((rs, ctx) -> recipient(rs))
                .list().stream()
                .filter(recipient -> terms.languages().isEmpty() || terms.languages().contains(recipient.locale()))
                .toList();
    }

    /** When user {@code telegramId}'s quiet hours end, if they are in them at {@code at}: see {@link QuietHoursOf}. */
    public Optional<Instant> quietUntil(Handle handle, long telegramId, Instant at) {
        return resolveUser(handle, telegramId).flatMap(recipient -> recipient.quietUntil(at));
    }

    /** One active user as a recipient, inside the caller's transaction; empty when unknown or blocked. */
    public Optional<Recipient> resolveUser(Handle handle, long telegramId) {
        return userWithStatus(handle, telegramId, "active");
    }

    /**
     * Of {@code recipients}, those the bot still knows, in the caller's transaction: a person erased since their
     * audience was resolved is gone from it. Groups are kept (they are never erased).
     */
    public Set<Long> stillKnown(Handle handle, Collection<Long> recipients) {
        List<Long> people = recipients.stream().filter(id -> id > 0).distinct().toList();
        Set<Long> known = new HashSet<>(recipients.stream().filter(id -> id < 0).toList());
        if (!people.isEmpty()) {
            known.addAll(handle.createQuery(
                            "SELECT telegram_id FROM users WHERE telegram_id IN (SELECT value FROM json_each(:ids))")
                    .bind("ids", Columns.jsonArray(people)).mapTo(Long.class).list());
        }
        return known;
    }

    /** The person {@code telegramId} when the bot knows they blocked it, as a recipient: for the record of a send. */
    public Optional<Recipient> resolveBlockedUser(Handle handle, long telegramId) {
        return userWithStatus(handle, telegramId, "blocked");
    }

    private Optional<Recipient> userWithStatus(Handle handle, long telegramId, String status) {
        return handle.createQuery("""
                        SELECT telegram_id, locale, telegram_language, time_zone, quiet_start, quiet_end FROM users
                        WHERE telegram_id = :id AND status = :status""")
                .bind("id", telegramId).bind("status", status).map((rs, ctx) -> recipient(rs)).findOne();
    }

    private Recipient recipient(ResultSet rs) throws SQLException {
        return new Recipient(rs.getLong("telegram_id"),
                catalog.resolve(LanguagePreference.of(rs.getString("locale"), rs.getString("telegram_language"))),
                Optional.of(Optional.ofNullable(rs.getString("time_zone")).map(ZoneId::of).orElse(defaultZone)),
                quietHours(rs));
    }

    private Optional<QuietHours> quietHours(ResultSet rs) throws SQLException {
        int start = rs.getInt("quiet_start");
        if (rs.wasNull()) {
            return Optional.of(defaultQuietHours);
        }
        return start < 0 ? Optional.empty() : Optional.of(new QuietHours(start, rs.getInt("quiet_end")));
    }

    /** Event keys the terms name that do not exist. */
    public List<String> unknownEvents(AudienceTerms terms) {
        return jdbi.withHandle(handle -> terms.events().stream()
                .map(AudienceTerms.EventTerm::key)
                .filter(key -> handle.createQuery("SELECT count(*) FROM events WHERE key = :key").bind("key", key)
                        .mapTo(Integer.class).one() == 0)
                .toList());
    }

    /** Groups the terms name one by one that the bot is not in (or never was). */
    public List<Long> unknownGroups(AudienceTerms terms) {
        return jdbi.withHandle(handle -> terms.groups().stream().sorted()
                .filter(chat -> groups.current(handle, chat).isEmpty())
                .toList());
    }

    /** Cohort numbers the terms name that do not exist. */
    public List<Integer> unknownCohorts(AudienceTerms terms) {
        return jdbi.withHandle(handle -> terms.cohorts().stream()
                .filter(number -> handle.createQuery("SELECT count(*) FROM cohorts WHERE number = :number")
                        .bind("number", number).mapTo(Integer.class).one() == 0)
                .toList());
    }
}
