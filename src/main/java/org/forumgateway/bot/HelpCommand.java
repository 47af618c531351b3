package org.forumgateway.bot;

import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** /help: the commands the user's role may use, with their descriptions; in a group, those anyone may use. */
final class HelpCommand implements CommandHandler {
    private final Supplier<List<CommandSpec>> commands;

    HelpCommand(Supplier<List<CommandSpec>> commands) {
        this.commands = commands;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("help", Role.GUEST, true);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        Translator translator = conversation.translator();
        // In a group everyone reads the answer: it lists what anyone may use, never the sender's staff commands.
        Role role = conversation.chat().isPrivate() ? conversation.user().role() : Role.GUEST;
        String lines = commands.get().stream()
                .filter(command -> role.atLeast(command.minimumRole()))
                .map(command -> "/" + command.name() + " — " + Html.escape(translator.text(command.descriptionKey())))
                .collect(Collectors.joining("\n"));
        conversation.reply(translator.text("help.text", "commands", new Html(lines)));
    }
}
