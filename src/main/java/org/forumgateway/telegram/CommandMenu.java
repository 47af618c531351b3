package org.forumgateway.telegram;

import org.forumgateway.bot.CommandSpec;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

import java.util.List;

/**
 * Registers the command menu with setMyCommands: once per supported language and once without a language, in
 * the default one. Only commands everyone may use are listed; staff find theirs in /help.
 */
final class CommandMenu {
    private static final Logger log = LoggerFactory.getLogger(CommandMenu.class);

    private final TelegramClient client;
    private final MessageCatalog catalog;

    CommandMenu(TelegramClient client, MessageCatalog catalog) {
        this.client = client;
        this.catalog = catalog;
    }

    void publish(List<CommandSpec> commands) {
        List<CommandSpec> everyone = commands.stream().filter(command -> command.minimumRole() == Role.GUEST).toList();
        publish(everyone, catalog.translator(catalog.defaultLocale()), null);
        for (String locale : catalog.locales()) {
            publish(everyone, catalog.translator(locale), locale);
        }
    }

    private void publish(List<CommandSpec> commands, Translator translator, String languageCode) {
        List<BotCommand> menu = commands.stream()
                .map(command -> new BotCommand(command.name(), translator.text(command.descriptionKey())))
                .toList();
        SetMyCommands request = SetMyCommands.builder().commands(menu).languageCode(languageCode).build();
        String language = languageCode == null ? "default" : languageCode;
        try {
            client.executeAsync(request).whenComplete((ok, error) -> {
                if (error != null) {
                    log.warn("Could not register the command menu for language {}: {}", language, error.getMessage());
                }
            });
        } catch (TelegramApiException e) {
            log.warn("Could not register the command menu for language {}: {}", language, e.getMessage());
        }
    }
}
