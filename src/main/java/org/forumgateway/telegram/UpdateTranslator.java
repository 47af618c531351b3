package org.forumgateway.telegram;

import org.forumgateway.chat.ChatRef;
import org.forumgateway.chat.Incoming;
import org.forumgateway.users.TelegramProfile;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;
import org.telegram.telegrambots.meta.api.objects.message.Message;

import java.util.Locale;
import java.util.Optional;

/** Turns a Telegram update into what the rest of the bot understands, or nothing for updates it ignores. */
final class UpdateTranslator {
    private final Optional<String> botUsername;

    /** @param botUsername commands addressed to another bot ({@code /help@other_bot}) are ignored */
    UpdateTranslator(Optional<String> botUsername) {
        this.botUsername = botUsername;
    }

    Optional<Incoming> translate(Update update) {
        if (update.hasMessage()) {
            return fromMessage(update.getMessage());
        }
        if (update.hasCallbackQuery()) {
            return fromButton(update.getCallbackQuery());
        }
        // Edits, channel posts, membership changes and the rest need no answer.
        return Optional.empty();
    }

    private Optional<Incoming> fromMessage(Message message) {
        if (message.getFrom() == null || Boolean.TRUE.equals(message.getFrom().getIsBot())) {
            return Optional.empty();
        }
        ChatRef chat = new ChatRef(message.getChatId(), Boolean.TRUE.equals(message.getChat().isUserChat()));
        TelegramProfile from = profile(message.getFrom());
        if (!message.hasText()) {
            return Optional.of(new Incoming.Unsupported(chat, from));
        }
        String text = message.getText();
        if (!text.startsWith("/")) {
            return Optional.of(new Incoming.Text(chat, from, text));
        }
        String[] parts = text.substring(1).split("\\s+", 2);
        String name = parts[0];
        int mention = name.indexOf('@');
        if (mention >= 0) {
            String addressee = name.substring(mention + 1);
            if (botUsername.filter(addressee::equalsIgnoreCase).isEmpty() && !chat.isPrivate()) {
                return Optional.empty(); // meant for another bot in the group
            }
            name = name.substring(0, mention);
        }
        String arguments = parts.length > 1 ? parts[1].strip() : "";
        return Optional.of(new Incoming.Command(chat, from, name.toLowerCase(Locale.ROOT), arguments));
    }

    private Optional<Incoming> fromButton(CallbackQuery query) {
        TelegramProfile from = profile(query.getFrom());
        MaybeInaccessibleMessage message = query.getMessage();
        // A button under an inline-mode message has no chat: answer the presser privately.
        ChatRef chat = message == null
                ? new ChatRef(query.getFrom().getId(), true)
                : new ChatRef(message.getChatId(), Boolean.TRUE.equals(message.getChat().isUserChat()));
        Optional<Integer> messageId = Optional.ofNullable(message).map(MaybeInaccessibleMessage::getMessageId)
                .filter(id -> id > 0);
        String data = query.getData() == null ? "" : query.getData();
        return Optional.of(new Incoming.ButtonPress(chat, from, query.getId(), messageId, data));
    }

    private static TelegramProfile profile(User user) {
        return new TelegramProfile(
                user.getId(),
                user.getFirstName() == null ? "" : user.getFirstName(),
                Optional.ofNullable(user.getLastName()),
                Optional.ofNullable(user.getUserName()),
                Optional.ofNullable(user.getLanguageCode()));
    }
}
