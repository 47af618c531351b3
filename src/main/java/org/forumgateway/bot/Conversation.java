package org.forumgateway.bot;

import org.forumgateway.chat.ChatRef;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Messenger;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.User;

import java.util.Optional;

/** One update being answered: who sent it, in which chat, in which language, and how to answer. */
final class Conversation {
    private final ChatRef chat;
    private final User user;
    private final Translator translator;
    private final Messenger messenger;

    Conversation(ChatRef chat, User user, Translator translator, Messenger messenger) {
        this.chat = chat;
        this.user = user;
        this.translator = translator;
        this.messenger = messenger;
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
        return new Conversation(chat, user, other, messenger);
    }

    /** Sends anything else, such as a document, through the same port. */
    void send(OutgoingMessage message) {
        messenger.send(message);
    }

    void reply(String html) {
        reply(html, Keyboard.NONE);
    }

    void reply(String html, Keyboard keyboard) {
        messenger.send(new OutgoingMessage.Send(chat.chatId(), html, keyboard));
    }

    /** Replies with the message {@code key}. */
    void say(String key, Object... namesAndValues) {
        reply(translator.text(key, namesAndValues));
    }

    /** Redraws the message that carried a pressed button, or sends a new one when there is none to edit. */
    void redraw(ButtonContext press, String html, Keyboard keyboard) {
        press.messageId().ifPresentOrElse(
                messageId -> messenger.send(new OutgoingMessage.Edit(chat.chatId(), messageId, html, keyboard)),
                () -> reply(html, keyboard));
    }

    void answer(ButtonContext press) {
        messenger.send(new OutgoingMessage.AnswerButton(chat.chatId(), press.callbackId(), Optional.empty()));
    }

    void answer(ButtonContext press, String notice) {
        messenger.send(new OutgoingMessage.AnswerButton(chat.chatId(), press.callbackId(), Optional.of(notice)));
    }
}
