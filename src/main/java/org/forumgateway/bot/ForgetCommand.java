package org.forumgateway.bot;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.PersonErasure;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;

import java.util.List;
import java.util.Optional;

/**
 * {@code /forget <user id or @username>} (administrators): erases everything the bot keeps about a person, once
 * confirmed with a button, as a person may ask the secretariat to. Administrators from ADMIN_IDS are not erased:
 * the configuration names them.
 */
final class ForgetCommand implements CommandHandler, ButtonHandler {
    static final String PREFIX = "fgt";
    private static final String CANCEL = "no";

    private final UserService users;
    private final PersonErasure erasure;
    private final AuditLog audit;

    ForgetCommand(UserService users, PersonErasure erasure, AuditLog audit) {
        this.users = users;
        this.erasure = erasure;
        this.audit = audit;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("forget", Role.ADMIN);
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    @Override
    public Role minimumRole() {
        return Role.ADMIN;
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        String reference = arguments.strip();
        if (reference.isEmpty() || reference.contains(" ")) {
            conversation.say("forget.usage");
            return;
        }
        Optional<User> target = users.findByIdOrUsername(reference);
        if (target.isEmpty()) {
            conversation.say("staff.unknownUser", "reference", LanguagePicker.truncate(reference));
            return;
        }
        User user = target.get();
        if (users.isAdministrator(user.telegramId())) {
            conversation.say("forget.isAdmin", "name", user.displayName());
            return;
        }
        Translator translator = conversation.translator();
        // The id, not the name, in the confirmation and the button: a name or @username may change meanwhile.
        conversation.reply(translator.text("forget.confirm", "name", user.displayName(),
                        "id", String.valueOf(user.telegramId())),
                new Keyboard(List.of(List.of(
                        new Button(translator.text("forget.button.erase"), PREFIX + ":" + user.telegramId()),
                        new Button(translator.text("announce.button.cancel"), PREFIX + ":" + CANCEL)))));
    }

    @Override
    public void handle(Conversation conversation, ButtonContext press, String payload) {
        Translator translator = conversation.translator();
        if (payload.equals(CANCEL)) {
            conversation.answer(press);
            conversation.redraw(press, translator.text("forget.cancelled"), Keyboard.NONE);
            return;
        }
        Optional<Long> id = telegramId(payload).filter(candidate -> !users.isAdministrator(candidate));
        if (id.isEmpty()) {
            conversation.answer(press, translator.text("button.expired"));
            return;
        }
        long telegramId = id.get();
        conversation.answer(press);
        // The erasure, its record and the answer commit together.
        conversation.together(() -> {
            if (!erasure.erase(telegramId)) {
                conversation.redraw(press, translator.text("forget.gone", "id", String.valueOf(telegramId)),
                        Keyboard.NONE);
                return;
            }
            audit.record(conversation.user().telegramId(), "user.erase", String.valueOf(telegramId));
            conversation.redraw(press, translator.text("forget.done", "id", String.valueOf(telegramId)),
                    Keyboard.NONE);
        });
    }

    private static Optional<Long> telegramId(String payload) {
        if (!payload.matches("[1-9][0-9]{0,18}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
