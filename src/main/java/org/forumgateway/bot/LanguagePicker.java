package org.forumgateway.bot;

import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;
import org.forumgateway.users.UserService;

import java.util.List;
import java.util.Locale;

/** /language and its buttons: each language is offered under its own name. */
final class LanguagePicker implements CommandHandler, ButtonHandler {
    static final String PREFIX = "lang";

    private final MessageCatalog catalog;
    private final UserService users;
    private final ChatMenus menus;

    LanguagePicker(MessageCatalog catalog, UserService users, ChatMenus menus) {
        this.catalog = catalog;
        this.users = users;
        this.menus = menus;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("language", Role.GUEST);
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    /** {@code /language} shows the picker; {@code /language ru} chooses directly. */
    @Override
    public void handle(Conversation conversation, String arguments) {
        String requested = arguments.strip().toLowerCase(Locale.ROOT);
        if (requested.isEmpty()) {
            show(conversation);
        } else if (catalog.supports(requested)) {
            Conversation chosen = choose(conversation, requested);
            chosen.say("language.chosen", "language", chosen.translator().text("language.name"));
        } else {
            conversation.say("language.unknown", "code", truncate(requested), "codes", String.join(", ", catalog.locales()));
        }
    }

    @Override
    public void handle(Conversation conversation, ButtonContext press, String payload) {
        if (!catalog.supports(payload)) {
            conversation.answer(press, conversation.translator().text("button.expired"));
            return;
        }
        Conversation chosen = choose(conversation, payload);
        Translator translator = chosen.translator();
        String language = translator.text("language.name");
        chosen.answer(press, translator.text("language.chosen", "language", language));
        chosen.redraw(press, translator.text("language.picker.current", "language", language), keyboard(payload));
    }

    void show(Conversation conversation) {
        Translator translator = conversation.translator();
        conversation.reply(translator.text("language.picker.prompt"), keyboard(translator.locale()));
    }

    private Conversation choose(Conversation conversation, String locale) {
        users.chooseLocale(conversation.user().telegramId(), locale);
        menus.keepCurrent(conversation.user().telegramId());
        return conversation.in(catalog.translator(locale));
    }

    private Keyboard keyboard(String current) {
        List<Button> buttons = catalog.locales().stream()
                .map(locale -> new Button(mark(locale.equals(current)) + catalog.translator(locale).text("language.name"),
                        PREFIX + ":" + locale))
                .toList();
        return Keyboard.grid(buttons, 3);
    }

    static String mark(boolean chosen) {
        return chosen ? "✓ " : "";
    }

    static String truncate(String userText) {
        return shorten(userText, 32);
    }

    /** At most {@code codePoints} characters, cut between code points so no emoji is split in half. */
    static String shorten(String text, int codePoints) {
        if (text.codePointCount(0, text.length()) <= codePoints) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, codePoints - 1)) + "…";
    }
}
