package org.forumgateway.bot;

import org.forumgateway.users.Role;

/** /start: a greeting, then the language and time-zone pickers. Deep-link payloads arrive as its arguments. */
final class StartCommand implements CommandHandler {
    private final LanguagePicker languages;
    private final TimeZonePicker timeZones;

    StartCommand(LanguagePicker languages, TimeZonePicker timeZones) {
        this.languages = languages;
        this.timeZones = timeZones;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("start", Role.GUEST);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        conversation.say("start.greeting", "name", conversation.user().firstName());
        languages.show(conversation);
        timeZones.show(conversation);
    }
}
