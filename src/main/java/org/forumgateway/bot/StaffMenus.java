package org.forumgateway.bot;

import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;

import java.util.List;
import java.util.function.Supplier;

/**
 * The command menu of each staff member and administrator: every command their role may use, in their language,
 * set for their private chat alone (everyone else keeps the public menu). Sent through the outbox like any message:
 * at start, when their role changes and when they change language.
 */
final class StaffMenus {
    private final Supplier<List<CommandSpec>> commands;
    private final MessageCatalog catalog;

    StaffMenus(Supplier<List<CommandSpec>> commands, MessageCatalog catalog) {
        this.commands = commands;
        this.catalog = catalog;
    }

    /** The menu of {@code user} in their language; for someone who is not staff (any more), none of their own. */
    OutgoingMessage.CommandMenu menuFor(User user) {
        return menuFor(user, catalog.resolve(user.languagePreference()));
    }

    /** The same in {@code locale}: right after they chose it. */
    OutgoingMessage.CommandMenu menuFor(User user, String locale) {
        if (!user.role().atLeast(Role.STAFF)) {
            return new OutgoingMessage.CommandMenu(user.telegramId(), List.of());
        }
        Translator translator = catalog.translator(locale);
        return new OutgoingMessage.CommandMenu(user.telegramId(), commands.get().stream()
                .filter(command -> user.role().atLeast(command.minimumRole()))
                .map(command -> new OutgoingMessage.MenuCommand(command.name(),
                        translator.text(command.descriptionKey())))
                .toList());
    }
}
