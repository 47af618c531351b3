package org.forumgateway.telegram;

import org.forumgateway.chat.Button;
import org.forumgateway.chat.DeliveryException;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Messenger;
import org.forumgateway.chat.OutgoingMessage;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.ParseMode;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

import java.io.ByteArrayInputStream;
import java.util.List;

/** Sends through the Bot API, HTML parse mode throughout. Thread-safe. */
final class TelegramMessenger implements Messenger {
    private final TelegramClient client;

    TelegramMessenger(TelegramClient client) {
        this.client = client;
    }

    @Override
    public void send(OutgoingMessage message) {
        try {
            if (message instanceof OutgoingMessage.Send send) {
                client.execute(SendMessage.builder()
                        .chatId(send.chatId())
                        .text(send.html())
                        .parseMode(ParseMode.HTML)
                        .replyMarkup(markup(send.keyboard()))
                        .build());
            } else if (message instanceof OutgoingMessage.Edit edit) {
                client.execute(EditMessageText.builder()
                        .chatId(edit.chatId())
                        .messageId(edit.messageId())
                        .text(edit.html())
                        .parseMode(ParseMode.HTML)
                        .replyMarkup(markup(edit.keyboard()))
                        .build());
            } else if (message instanceof OutgoingMessage.Document document) {
                client.execute(SendDocument.builder()
                        .chatId(document.chatId())
                        .document(new InputFile(new ByteArrayInputStream(document.content()), document.fileName()))
                        .caption(document.captionHtml().isEmpty() ? null : document.captionHtml())
                        .parseMode(ParseMode.HTML)
                        .build());
            } else if (message instanceof OutgoingMessage.AnswerButton answer) {
                client.execute(AnswerCallbackQuery.builder()
                        .callbackQueryId(answer.callbackId())
                        .text(answer.notice().orElse(null))
                        .build());
            }
        } catch (TelegramApiRequestException e) {
            if (isUnchangedEdit(message, e)) {
                return; // The user pressed the button that is already chosen: nothing to redraw.
            }
            throw new DeliveryException(describe(message) + " failed: " + e.getMessage(), e);
        } catch (TelegramApiException e) {
            throw new DeliveryException(describe(message) + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean isUnchangedEdit(OutgoingMessage message, TelegramApiRequestException e) {
        return message instanceof OutgoingMessage.Edit
                && Integer.valueOf(400).equals(e.getErrorCode())
                && e.getApiResponse() != null
                && e.getApiResponse().contains("message is not modified");
    }

    private static String describe(OutgoingMessage message) {
        return message.getClass().getSimpleName();
    }

    private static InlineKeyboardMarkup markup(Keyboard keyboard) {
        if (keyboard.isEmpty()) {
            return null;
        }
        List<InlineKeyboardRow> rows = keyboard.rows().stream()
                .map(row -> new InlineKeyboardRow(row.stream().map(TelegramMessenger::button).toList()))
                .toList();
        return new InlineKeyboardMarkup(rows);
    }

    private static InlineKeyboardButton button(Button button) {
        return InlineKeyboardButton.builder().text(button.label()).callbackData(button.data()).build();
    }
}
