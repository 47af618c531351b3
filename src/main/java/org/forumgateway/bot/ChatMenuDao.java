package org.forumgateway.bot;

import org.jdbi.v3.core.Handle;

import java.util.Optional;

/**
 * SQL for the chat_menus table (the command menu the bot last set for each private chat that has one of its own):
 * the one class that writes it. Stateless; every call runs in the caller's handle. Thread-safe.
 */
public final class ChatMenuDao {

    /** The fingerprint of the menu the chat of {@code telegramId} has; empty when it shows the public one. */
    Optional<String> fingerprint(Handle handle, long telegramId) {
        return handle.createQuery("SELECT fingerprint FROM chat_menus WHERE telegram_id = :id")
                .bind("id", telegramId).mapTo(String.class).findOne();
    }

    /** Forgets the chat's menu (its person's erasure); true when it had one of its own. */
    public boolean forget(Handle handle, long telegramId) {
        return handle.createUpdate("DELETE FROM chat_menus WHERE telegram_id = :id").bind("id", telegramId)
                .execute() > 0;
    }

    /** The chat's menu is now the one with {@code fingerprint}; empty: the public one. */
    void remember(Handle handle, long telegramId, Optional<String> fingerprint) {
        if (fingerprint.isEmpty()) {
            forget(handle, telegramId);
            return;
        }
        handle.createUpdate("""
                        INSERT INTO chat_menus (telegram_id, fingerprint) VALUES (:id, :fingerprint)
                        ON CONFLICT (telegram_id) DO UPDATE SET fingerprint = excluded.fingerprint""")
                .bind("id", telegramId).bind("fingerprint", fingerprint.get()).execute();
    }
}
