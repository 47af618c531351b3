package org.forumgateway.telegram;

import org.forumgateway.chat.Button;
import org.forumgateway.chat.DeliveryResult;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Media;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.chat.Transport;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.ParseMode;
import org.telegram.telegrambots.meta.api.methods.commands.DeleteMyCommands;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;
import org.telegram.telegrambots.meta.api.objects.commands.scope.BotCommandScopeChat;
import org.telegram.telegrambots.meta.api.methods.pinnedmessages.PinChatMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMediaGroup;
import org.telegram.telegrambots.meta.api.methods.send.SendPhoto;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.DeleteMessage;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.DeleteMessages;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageCaption;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.ResponseParameters;
import org.telegram.telegrambots.meta.api.objects.media.InputMedia;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaDocument;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaPhoto;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaVideo;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

/**
 * Sends through the Bot API (HTML parse mode throughout) and turns every answer into a {@link DeliveryResult}.
 * Requests run asynchronously on OkHttp, so many can be in flight at once. Thread-safe.
 */
final class TelegramTransport implements Transport {
    private final TelegramClient client;

    TelegramTransport(TelegramClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<DeliveryResult> deliver(OutgoingMessage message) {
        CompletableFuture<?> call;
        try {
            call = execute(message);
        } catch (TelegramApiException | RuntimeException e) {
            // Refused before sending (validation): the message itself is wrong.
            return CompletableFuture.completedFuture(new DeliveryResult.Rejected(describe(e)));
        }
        return call.handle((result, error) -> error == null ? delivered(result) : classify(message, error));
    }

    private static DeliveryResult delivered(Object result) {
        // An album answers with its messages: the first one, which carries the caption, stands for it.
        Object first = result instanceof List<?> messages && !messages.isEmpty() ? messages.get(0) : result;
        return new DeliveryResult.Delivered(first instanceof Message sent
                ? Optional.ofNullable(sent.getMessageId()) : Optional.empty());
    }

    private CompletableFuture<?> execute(OutgoingMessage message) throws TelegramApiException {
        if (message instanceof OutgoingMessage.Send send) {
            return client.executeAsync(SendMessage.builder()
                    .chatId(send.chatId())
                    .text(send.html())
                    .parseMode(ParseMode.HTML)
                    .replyMarkup(markup(send.keyboard()))
                    .disableNotification(send.silent() ? Boolean.TRUE : null)
                    .build());
        }
        if (message instanceof OutgoingMessage.Edit edit) {
            return client.executeAsync(EditMessageText.builder()
                    .chatId(edit.chatId())
                    .messageId(edit.messageId())
                    .text(edit.html())
                    .parseMode(ParseMode.HTML)
                    .replyMarkup(markup(edit.keyboard()))
                    .build());
        }
        if (message instanceof OutgoingMessage.Document document) {
            return client.executeAsync(SendDocument.builder()
                    .chatId(document.chatId())
                    .document(new InputFile(new ByteArrayInputStream(document.content()), document.fileName()))
                    .caption(document.captionHtml().isEmpty() ? null : document.captionHtml())
                    .parseMode(ParseMode.HTML)
                    .build());
        }
        if (message instanceof OutgoingMessage.CommandMenu menu) {
            BotCommandScopeChat scope = new BotCommandScopeChat(String.valueOf(menu.chatId()));
            if (menu.commands().isEmpty()) {
                return client.executeAsync(DeleteMyCommands.builder().scope(scope).build());
            }
            return client.executeAsync(SetMyCommands.builder().scope(scope)
                    .commands(menu.commands().stream()
                            .map(command -> new BotCommand(command.name(), command.description())).toList())
                    .build());
        }
        if (message instanceof OutgoingMessage.SendMedia media) {
            return sendMedia(media);
        }
        if (message instanceof OutgoingMessage.SendAlbum album) {
            List<InputMedia> items = new ArrayList<>();
            for (Media item : album.items()) {
                InputMedia input = switch (item.kind()) {
                    case PHOTO -> new InputMediaPhoto(item.file());
                    case VIDEO -> new InputMediaVideo(item.file());
                    case DOCUMENT -> new InputMediaDocument(item.file());
                };
                if (items.isEmpty() && !album.captionHtml().isEmpty()) {
                    input.setCaption(album.captionHtml());
                    input.setParseMode(ParseMode.HTML);
                }
                items.add(input);
            }
            return client.executeAsync(SendMediaGroup.builder().chatId(album.chatId()).medias(items)
                    .disableNotification(album.silent() ? Boolean.TRUE : null).build());
        }
        if (message instanceof OutgoingMessage.EditCaption caption) {
            return client.executeAsync(EditMessageCaption.builder()
                    .chatId(caption.chatId())
                    .messageId(caption.messageId())
                    .caption(caption.captionHtml())
                    .parseMode(ParseMode.HTML)
                    .build());
        }
        if (message instanceof OutgoingMessage.Delete delete) {
            if (delete.count() == 1) {
                return client.executeAsync(DeleteMessage.builder().chatId(delete.chatId())
                        .messageId(delete.messageId()).build());
            }
            List<Integer> ids = IntStream.range(delete.messageId(), delete.messageId() + delete.count()).boxed().toList();
            return client.executeAsync(DeleteMessages.builder().chatId(delete.chatId()).messageIds(ids).build());
        }
        if (message instanceof OutgoingMessage.Pin pin) {
            return client.executeAsync(PinChatMessage.builder().chatId(pin.chatId()).messageId(pin.messageId())
                    .build());
        }
        OutgoingMessage.AnswerButton answer = (OutgoingMessage.AnswerButton) message;
        return client.executeAsync(AnswerCallbackQuery.builder()
                .callbackQueryId(answer.callbackId())
                .text(answer.notice().orElse(null))
                .build());
    }

    private CompletableFuture<Message> sendMedia(OutgoingMessage.SendMedia media) {
        InputFile file = new InputFile(media.media().file());
        String caption = media.captionHtml().isEmpty() ? null : media.captionHtml();
        InlineKeyboardMarkup markup = markup(media.keyboard());
        Boolean silent = media.silent() ? Boolean.TRUE : null;
        return switch (media.media().kind()) {
            case PHOTO -> client.executeAsync(SendPhoto.builder().chatId(media.chatId()).photo(file)
                    .caption(caption).parseMode(ParseMode.HTML).replyMarkup(markup).disableNotification(silent)
                    .build());
            case VIDEO -> client.executeAsync(SendVideo.builder().chatId(media.chatId()).video(file)
                    .caption(caption).parseMode(ParseMode.HTML).replyMarkup(markup).disableNotification(silent)
                    .build());
            case DOCUMENT -> client.executeAsync(SendDocument.builder().chatId(media.chatId()).document(file)
                    .caption(caption).parseMode(ParseMode.HTML).replyMarkup(markup).disableNotification(silent)
                    .build());
        };
    }

    static DeliveryResult classify(OutgoingMessage message, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof TelegramApiRequestException request) || request.getErrorCode() == null
                || request.getErrorCode() == 0) {
            // No Bot API answer: a timeout, a dropped connection, or a body that is not the API's JSON (a proxy's 502).
            return new DeliveryResult.TransientFailure(describe(cause));
        }
        int code = request.getErrorCode();
        Optional<ResponseParameters> parameters = Optional.ofNullable(request.getParameters());
        if (code == 429) {
            int seconds = parameters.map(ResponseParameters::getRetryAfter).orElse(1);
            return new DeliveryResult.RetryAfter(Duration.ofSeconds(Math.max(1, seconds)));
        }
        if (code == 403) {
            // Telegram's own words ("Forbidden: bot was blocked by the user"), as a block the bot is told of says.
            String said = request.getApiResponse();
            return new DeliveryResult.Blocked(said == null || said.isBlank() ? describe(request) : describe(said));
        }
        Optional<Long> migrated = parameters.map(ResponseParameters::getMigrateToChatId);
        if (code == 400 && migrated.isPresent()) {
            return new DeliveryResult.ChatMigrated(migrated.get());
        }
        if (code == 400 && (message instanceof OutgoingMessage.Edit || message instanceof OutgoingMessage.EditCaption)
                && String.valueOf(request.getApiResponse())
                .contains("message is not modified")) {
            return DeliveryResult.Delivered.withoutMessage(); // The same button pressed twice: nothing to redraw.
        }
        if (code == 400 && message instanceof OutgoingMessage.Delete
                && String.valueOf(request.getApiResponse()).contains("message to delete not found")) {
            // Gone already: the person cleared the chat or deleted it, or an earlier try's answer was lost. A recall
            // wants it gone, and it is.
            return DeliveryResult.Delivered.withoutMessage();
        }
        if (code >= 500 || code == 401 || code == 404) {
            return new DeliveryResult.TransientFailure(describe(request));
        }
        return new DeliveryResult.Rejected(describe(request));
    }

    private static String describe(Throwable error) {
        return describe(error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    }

    private static String describe(String message) {
        return message.length() <= 300 ? message : message.substring(0, 300);
    }

    private static InlineKeyboardMarkup markup(Keyboard keyboard) {
        if (keyboard.isEmpty()) {
            return null;
        }
        List<InlineKeyboardRow> rows = keyboard.rows().stream()
                .map(row -> new InlineKeyboardRow(row.stream().map(TelegramTransport::button).toList()))
                .toList();
        return new InlineKeyboardMarkup(rows);
    }

    private static InlineKeyboardButton button(Button button) {
        if (button.url().isPresent()) {
            return InlineKeyboardButton.builder().text(button.label()).url(button.url().get()).build();
        }
        return InlineKeyboardButton.builder().text(button.label()).callbackData(button.data()).build();
    }
}
