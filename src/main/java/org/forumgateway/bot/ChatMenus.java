package org.forumgateway.bot;

import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The command menu of each private chat that needs its own. Everyone else sees the public menu, which Telegram shows
 * in the language of the person's app, and Telegram's apps have no Kyrgyz, Tajik or Turkmen. So a chat gets a menu
 * of its own when the person chose a language (everyone's commands, in it) or is staff (every command their role may
 * use, in their language). It is sent through the outbox like any message, and only when it would change
 * ({@link ChatMenuDao} keeps what each chat has): after a language is chosen or a role changes, and, after a new
 * version changed the commands or their descriptions, at the person's first update since the start (and for staff
 * at the start). Thread-safe.
 */
final class ChatMenus {
    private final Supplier<List<CommandSpec>> commands;
    private final MessageCatalog catalog;
    private final UserService users;
    private final Notifications notifications;
    private final Jdbi jdbi;
    private final ChatMenuDao dao = new ChatMenuDao();
    /**
     * Who has been checked since the start: a menu changes only by a new version (checked once) or by a change of
     * language or role (checked where it is made), so an update costs no reads for it after the first. One id per
     * person who wrote since the start: about 6 MB for 100,000.
     */
    private final Set<Long> checkedSinceStart = ConcurrentHashMap.newKeySet();

    ChatMenus(Supplier<List<CommandSpec>> commands, MessageCatalog catalog, UserService users,
              Notifications notifications, Jdbi jdbi) {
        this.commands = commands;
        this.catalog = catalog;
        this.users = users;
        this.notifications = notifications;
        this.jdbi = jdbi;
    }

    /**
     * Checks the chat's menu as {@link #keepCurrent(Handle, long)} does, at {@code telegramId}'s first update since
     * the start only, in the update's transaction.
     */
    void keepCurrentOnce(Handle handle, long telegramId) {
        if (checkedSinceStart.add(telegramId)) {
            keepCurrent(handle, telegramId);
        }
    }

    /** Checks now, in the transaction the calling thread has open, else in one of its own. */
    void keepCurrent(long telegramId) {
        jdbi.useTransaction(handle -> keepCurrent(handle, telegramId));
    }

    /**
     * Queues the menu the chat of {@code telegramId} should have, in the caller's transaction, if it has another:
     * read from the database there, so a language or role changed earlier in the transaction counts.
     */
    void keepCurrent(Handle handle, long telegramId) {
        Optional<User> user = users.find(handle, telegramId);
        if (user.isEmpty()) {
            return;
        }
        OutgoingMessage.CommandMenu menu = menuFor(user.get());
        Optional<String> fingerprint = fingerprint(menu);
        if (fingerprint.equals(dao.fingerprint(handle, telegramId))) {
            return;
        }
        notifications.reply(handle, menu);
        dao.remember(handle, telegramId, fingerprint);
    }

    /**
     * {@code telegramId} unblocked the bot: a menu queued while they had it blocked was dropped with their other
     * messages, so theirs is set again, in the caller's transaction.
     */
    void setAgain(Handle handle, long telegramId) {
        dao.remember(handle, telegramId, Optional.empty());
        keepCurrent(handle, telegramId);
    }

    /** The menu of {@code user}'s chat: empty (the public one shows) when they neither chose a language nor are staff. */
    OutgoingMessage.CommandMenu menuFor(User user) {
        boolean staff = user.role().atLeast(Role.STAFF);
        if (!staff && user.locale().isEmpty()) {
            return new OutgoingMessage.CommandMenu(user.telegramId(), List.of());
        }
        Translator translator = catalog.translatorFor(user.languagePreference());
        Role role = staff ? user.role() : Role.GUEST;
        return new OutgoingMessage.CommandMenu(user.telegramId(), commands.get().stream()
                .filter(command -> role.atLeast(command.minimumRole()))
                .map(command -> new OutgoingMessage.MenuCommand(command.name(),
                        translator.text(command.descriptionKey())))
                .toList());
    }

    /**
     * What tells one menu from another: its language's texts are in it, so the commands, in order, with their
     * descriptions. Empty for no menu of the chat's own.
     */
    private static Optional<String> fingerprint(OutgoingMessage.CommandMenu menu) {
        if (menu.commands().isEmpty()) {
            return Optional.empty();
        }
        StringBuilder all = new StringBuilder();
        for (OutgoingMessage.MenuCommand command : menu.commands()) {
            all.append(command.name()).append('\n').append(command.description()).append('\n');
        }
        // A name-based UUID is a stable digest the JDK has; nothing secret is in a menu.
        return Optional.of(UUID.nameUUIDFromBytes(all.toString().getBytes(StandardCharsets.UTF_8)).toString());
    }
}
