package org.forumgateway.bot;

import org.forumgateway.chat.ChatRef;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.User;

import java.util.Optional;

/**
 * One update being answered: who sent it, in which chat, in which language, and how to answer. Answers are written
 * with the update when it is done (see {@link UpdateWrites}).
 */
final class Conversation {
    private final ChatRef chat;
    private final User user;
    private final Translator translator;
    private final UpdateWrites writes;

    Conversation(ChatRef chat, User user, Translator translator, UpdateWrites writes) {
        this.chat = chat;
        this.user = user;
        this.translator = translator;
        this.writes = writes;
    }

    ChatRef chat() {
        return chat;
    }

    User user() {
        return user;
    }

    Translator translator() {
        return translator;
    }

    /** The same conversation in another language: after the user picks one. */
    Conversation in(Translator other) {
        return new Conversation(chat, user, other, writes);
    }

    /** Sends anything else, such as a document, the same way. */
    void send(OutgoingMessage message) {
        writes.reply(message);
    }

    /**
     * Makes a change whose answers must not go without it, nor it without them: the change, the answers given so
     * far and inside {@code change}, and the update's mark as handled commit in one transaction.
     */
    void together(Runnable change) {
        writes.together(change);
    }

    void reply(String html) {
        reply(html, Keyboard.NONE);
    }

    void reply(String html, Keyboard keyboard) {
        writes.reply(new OutgoingMessage.Send(chat.chatId(), html, keyboard));
    }

    /** Replies with the message {@code key}. */
    void say(String key, Object... namesAndValues) {
        reply(translator.text(key, namesAndValues));
    }

    /** Redraws the message that carried a pressed button, or sends a new one when there is none to edit. */
    void redraw(ButtonContext press, String html, Keyboard keyboard) {
        press.messageId().ifPresentOrElse(
                messageId -> writes.reply(new OutgoingMessage.Edit(chat.chatId(), messageId, html, keyboard)),
                () -> reply(html, keyboard));
    }

    void answer(ButtonContext press) {
        writes.reply(new OutgoingMessage.AnswerButton(chat.chatId(), press.callbackId(), Optional.empty()));
    }

    void answer(ButtonContext press, String notice) {
        writes.reply(new OutgoingMessage.AnswerButton(chat.chatId(), press.callbackId(), Optional.of(notice)));
    }
}
