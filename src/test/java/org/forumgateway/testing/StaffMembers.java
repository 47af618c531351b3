package org.forumgateway.testing;

import org.forumgateway.Application;

/** Colleagues for tests where a second staff member acts: what /staff add would make them, without an admin's steps. */
public final class StaffMembers {
    private StaffMembers() {
    }

    /** {@code user} starts talking to the bot (so it knows them) and is made staff in its database. */
    public static void make(FakeTelegramApi api, Application bot, FakeUser user) {
        api.sendText(user, "/help");
        api.awaitMessageTo(user, "/about");
        bot.database().jdbi().useHandle(handle ->
                handle.execute("UPDATE users SET role = 'staff' WHERE telegram_id = ?", user.id()));
    }
}
