package org.forumgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One request the fake Bot API received.
 *
 * @param method          the method name in lower case ({@code sendmessage})
 * @param body            the JSON body
 * @param sentMessageId   the message id the fake assigned, for methods that create a message
 * @param status          the HTTP status the fake answered with (0 when it dropped the connection)
 * @param receivedAtNanos when it arrived, on {@link System#nanoTime()}
 */
public record RecordedRequest(String method, JsonNode body, Optional<Integer> sentMessageId, int status,
                              long receivedAtNanos) {

    public boolean accepted() {
        return status == 200;
    }

    public String text() {
        return body.path("text").asText();
    }

    public String caption() {
        return body.path("caption").asText();
    }

    public long chatId() {
        return body.path("chat_id").asLong();
    }

    /** For setMyCommands and deleteMyCommands: the scope's type ({@code chat}), or "default" when none was sent. */
    public String scopeType() {
        return body.path("scope").path("type").asText("default");
    }

    /** For setMyCommands and deleteMyCommands with scope {@code chat}: whose menu it is. */
    public long scopeChatId() {
        return body.path("scope").path("chat_id").asLong();
    }

    /** For setMyCommands: the command names, in menu order. */
    public List<String> commandNames() {
        List<String> names = new ArrayList<>();
        body.path("commands").forEach(command -> names.add(command.path("command").asText()));
        return names;
    }

    /** The id of the message this request created or edited. */
    public int messageId() {
        return sentMessageId.orElseGet(() -> body.path("message_id").asInt());
    }

    /** The file of a sendDocument, as uploaded. */
    public byte[] document() {
        return Base64.getDecoder().decode(body.path("document").path("content_base64").asText());
    }

    public String documentName() {
        return body.path("document").path("filename").asText();
    }

    /** The inline buttons, row by row flattened. */
    public List<SentButton> buttons() {
        List<SentButton> buttons = new ArrayList<>();
        for (JsonNode row : body.path("reply_markup").path("inline_keyboard")) {
            for (JsonNode button : row) {
                buttons.add(new SentButton(button.path("text").asText(), button.path("callback_data").asText()));
            }
        }
        return buttons;
    }

    /** The button whose label contains {@code label}. */
    public SentButton button(String label) {
        return buttons().stream()
                .filter(button -> button.text().contains(label))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no button '" + label + "' in " + buttons()));
    }

    /** An inline button as the bot sent it. */
    public record SentButton(String text, String callbackData) {
    }
}
