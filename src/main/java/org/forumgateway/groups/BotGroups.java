package org.forumgateway.groups;

import org.forumgateway.chat.GroupMembership;
import org.forumgateway.storage.Columns;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The groups the bot is in, learnt from Telegram's my_chat_member updates and from messages in groups; the one class
 * that writes the {@code bot_groups} table. Audiences that name groups read it. Thread-safe.
 */
public final class BotGroups {
    /** Telegram numbers supergroups (and channels) from -10^12 down; basic groups are the other negative ids. */
    private static final long FIRST_SUPERGROUP_ID = -1_000_000_000_000L;

    private static final RowMapper<BotGroup> GROUP = (rs, ctx) -> new BotGroup(
            rs.getLong("chat_id"),
            rs.getString("title"),
            "supergroup".equals(rs.getString("type")),
            rs.getInt("member") == 1,
            rs.getInt("administrator") == 1,
            Columns.optionalInt(rs, "can_pin").map(value -> value == 1),
            rs.getInt("confirmed") == 1);

    private final Jdbi jdbi;
    private final Clock clock;

    public BotGroups(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * What a my_chat_member update changed.
     *
     * @param joined    the bot was not in the group and is now
     * @param confirmed staff vouch for the group (see {@link BotGroup#confirmed()})
     */
    public record Change(boolean joined, boolean confirmed) {
        /** The bot has just joined a group nobody of the staff vouches for: the group is told how to confirm it. */
        public boolean joinedUnconfirmed() {
            return joined && !confirmed;
        }
    }

    /**
     * Records what a my_chat_member update says: the bot's place in the group from now on. A group the bot is added
     * to by staff or an administrator ({@code byStaff}) is confirmed; one confirmed once stays so. In the caller's
     * transaction, or one of its own.
     */
    public Change changed(GroupMembership membership, boolean byStaff) {
        return jdbi.inTransaction(handle -> {
            Optional<BotGroup> before = handle.createQuery("SELECT * FROM bot_groups WHERE chat_id = :chat")
                    .bind("chat", membership.chatId()).map(GROUP).findOne();
            boolean confirmed = before.map(BotGroup::confirmed).orElse(false) || byStaff && membership.member();
            handle.createUpdate("""
                            INSERT INTO bot_groups (chat_id, title, type, member, administrator, can_pin, confirmed,
                                                    updated_at)
                            VALUES (:chat, :title, :type, :member, :administrator, :canPin, :confirmed, :now)
                            ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title, type = excluded.type,
                                member = excluded.member, administrator = excluded.administrator,
                                can_pin = excluded.can_pin, confirmed = excluded.confirmed,
                                updated_at = excluded.updated_at""")
                    .bind("chat", membership.chatId()).bind("title", membership.title())
                    .bind("type", membership.supergroup() ? "supergroup" : "group")
                    .bind("member", membership.member() ? 1 : 0)
                    .bind("administrator", membership.administrator() ? 1 : 0)
                    .bind("canPin", membership.canPin() ? 1 : 0)
                    .bind("confirmed", confirmed ? 1 : 0)
                    .bind("now", clock.millis()).execute();
            boolean wasMember = before.map(BotGroup::member).orElse(false);
            return new Change(membership.member() && !wasMember, confirmed);
        });
    }

    /**
     * A member of the staff or an administrator sent a command in group {@code chatId}: they vouch for it. True when
     * it was not confirmed before. In the caller's transaction, or one of its own.
     */
    public boolean confirm(long chatId) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE bot_groups SET confirmed = 1, updated_at = :now
                        WHERE chat_id = :chat AND member = 1 AND confirmed = 0""")
                .bind("chat", chatId).bind("now", clock.millis()).execute() > 0);
    }

    /**
     * A message arrived in group {@code chatId}, so the bot is in it. What it may do there stays as last told, or
     * unknown for a group it had left (or never heard of: one it joined before it kept this list).
     */
    public void seenIn(long chatId) {
        if (chatId >= 0 || current(chatId).isPresent()) {
            return; // read first: a busy group must not cost a write per message
        }
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO bot_groups (chat_id, type, member, confirmed, updated_at)
                        VALUES (:chat, :type, 1, 0, :now)
                        ON CONFLICT (chat_id) DO UPDATE SET member = 1, administrator = 0, can_pin = NULL,
                            updated_at = excluded.updated_at
                        WHERE member = 0""")
                .bind("chat", chatId).bind("type", chatId <= FIRST_SUPERGROUP_ID ? "supergroup" : "group")
                .bind("now", clock.millis()).execute());
    }

    /**
     * Telegram refused a message to group {@code chatId} for good (403: the bot was removed, perhaps while updates
     * were not received): it is not in the group any more. In the caller's transaction.
     */
    public void left(Handle handle, long chatId) {
        handle.createUpdate("""
                        UPDATE bot_groups SET member = 0, administrator = 0, can_pin = 0, updated_at = :now
                        WHERE chat_id = :chat AND member = 1""")
                .bind("chat", chatId).bind("now", clock.millis()).execute();
    }

    /**
     * The group {@code oldChatId} became the supergroup {@code newChatId}: the bot is in that one now, with the
     * rights it had. In the caller's transaction.
     */
    public void migrated(Handle handle, long oldChatId, long newChatId) {
        // The supergroup may be known already (a message in it recorded it, unconfirmed): it is the same group, so
        // it keeps what the old one had, the staff's confirmation included, and whatever it has learnt since.
        handle.createUpdate("""
                        INSERT INTO bot_groups (chat_id, title, type, member, administrator, can_pin, confirmed,
                                                updated_at)
                        SELECT :new, title, 'supergroup', member, administrator, can_pin, confirmed, :now
                        FROM bot_groups WHERE chat_id = :old AND member = 1
                        ON CONFLICT (chat_id) DO UPDATE SET member = 1,
                            title = CASE WHEN bot_groups.title = '' THEN excluded.title ELSE bot_groups.title END,
                            administrator = CASE WHEN bot_groups.can_pin IS NULL THEN excluded.administrator
                                ELSE bot_groups.administrator END,
                            can_pin = coalesce(bot_groups.can_pin, excluded.can_pin),
                            confirmed = max(bot_groups.confirmed, excluded.confirmed),
                            updated_at = excluded.updated_at""")
                .bind("old", oldChatId).bind("new", newChatId).bind("now", clock.millis()).execute();
        handle.createUpdate("UPDATE bot_groups SET member = 0, updated_at = :now WHERE chat_id = :old")
                .bind("old", oldChatId).bind("now", clock.millis()).execute();
    }

    /**
     * Telegram refused to pin a message in group {@code chatId} for {@code reason}: when that says the bot lacks the
     * right, it is known from now on (until Telegram says otherwise), so the next choice to pin says so beforehand.
     */
    public void pinRefused(Handle handle, long chatId, String reason) {
        if (lacksPinRight(reason)) {
            handle.createUpdate("UPDATE bot_groups SET can_pin = 0, updated_at = :now WHERE chat_id = :chat")
                    .bind("chat", chatId).bind("now", clock.millis()).execute();
        }
    }

    /** Telegram's words for a bot that is not an administrator allowed to pin. */
    public static boolean lacksPinRight(String reason) {
        String lower = reason.toLowerCase(Locale.ROOT);
        return lower.contains("not enough rights") || lower.contains("chat_admin_required");
    }

    /** The groups the bot is in now, inside the caller's transaction. */
    public List<BotGroup> current(Handle handle) {
        return handle.createQuery("SELECT * FROM bot_groups WHERE member = 1 ORDER BY chat_id").map(GROUP).list();
    }

    /** The group {@code chatId} while the bot is in it, inside the caller's transaction. */
    public Optional<BotGroup> current(Handle handle, long chatId) {
        return handle.createQuery("SELECT * FROM bot_groups WHERE chat_id = :chat AND member = 1")
                .bind("chat", chatId).map(GROUP).findOne();
    }

    /** The group {@code chatId} when the bot was in it once and is not any more, inside the caller's transaction. */
    public Optional<BotGroup> former(Handle handle, long chatId) {
        return handle.createQuery("SELECT * FROM bot_groups WHERE chat_id = :chat AND member = 0")
                .bind("chat", chatId).map(GROUP).findOne();
    }

    public Optional<BotGroup> current(long chatId) {
        return jdbi.withHandle(handle -> current(handle, chatId));
    }
}
