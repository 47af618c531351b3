package org.forumgateway.bot;

import org.forumgateway.api.ApiKeys;
import org.forumgateway.api.Scope;
import org.forumgateway.audit.AuditLog;
import org.forumgateway.users.Role;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /apikey create <name> [scopes]}, {@code /apikey list}, {@code /apikey revoke <name>} (administrators):
 * keys for the HTTP API. A new key is shown once; the bot keeps only its hash, and the audit log only its name.
 */
final class ApiKeyCommand implements CommandHandler {
    private final ApiKeys keys;
    private final AuditLog audit;

    ApiKeyCommand(ApiKeys keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("apikey", Role.ADMIN);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        List<String> words = Arrays.stream(arguments.strip().split("\\s+")).filter(word -> !word.isEmpty()).toList();
        String action = words.isEmpty() ? "" : words.get(0).toLowerCase(Locale.ROOT);
        long adminId = conversation.user().telegramId();
        if (action.equals("list") && words.size() == 1) {
            list(conversation);
        } else if (action.equals("create") && words.size() >= 2) {
            Optional<Set<Scope>> scopes = ApiKeys.parseScopes(String.join(",", words.subList(2, words.size())));
            if (scopes.isEmpty()) {
                conversation.say("apikey.badName");
                return;
            }
            String name = words.get(1).toLowerCase(Locale.ROOT);
            ApiKeys.Created created = keys.create(name, scopes.get(), adminId);
            if (created instanceof ApiKeys.Created.Key key) {
                audit.record(adminId, "apikey.create", key.name() + " (" + ApiKeys.format(key.scopes()) + ")");
                conversation.say("apikey.created", "name", key.name(), "scopes", ApiKeys.format(key.scopes()),
                        "key", key.secret(), "minutes", ApiKeys.SHOWN_FOR.toMinutes());
                keys.forgetWhenSent(conversation.chat().chatId(), key.secret());
            } else if (created instanceof ApiKeys.Created.NameTaken) {
                conversation.say("apikey.nameTaken", "name", LanguagePicker.truncate(name));
            } else {
                conversation.say("apikey.badName");
            }
        } else if (action.equals("revoke") && words.size() == 2) {
            String name = words.get(1).toLowerCase(Locale.ROOT);
            switch (keys.revoke(name)) {
                case REVOKED -> {
                    audit.record(adminId, "apikey.revoke", name);
                    conversation.say("apikey.revoked", "name", name);
                }
                case CONFIGURED -> conversation.say("apikey.configured", "name", name);
                case UNKNOWN -> conversation.say("apikey.unknown", "name", LanguagePicker.truncate(name));
            }
        } else {
            conversation.say("apikey.usage");
        }
    }

    private void list(Conversation conversation) {
        List<ApiKeys.Listed> listed = keys.list();
        if (listed.isEmpty()) {
            conversation.say("apikey.list.none");
            return;
        }
        StringBuilder text = new StringBuilder(conversation.translator().text("apikey.list.header"));
        for (ApiKeys.Listed key : listed) {
            text.append('\n').append(conversation.translator().text(key.fromConfiguration()
                    ? "apikey.list.configured" : "apikey.list.item", "name", key.name(), "scopes",
                    ApiKeys.format(key.scopes())));
        }
        conversation.reply(text.toString());
    }
}
