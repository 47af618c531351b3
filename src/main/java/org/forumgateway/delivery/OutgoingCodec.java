package org.forumgateway.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Media;
import org.forumgateway.chat.OutgoingMessage;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Messages as the outbox stores them: a method name and a small JSON payload. */
final class OutgoingCodec {
    /**
     * The methods of rows that act on a message already in the chat, by its id: edits, deletes and pins, which cannot
     * follow a group that became a supergroup.
     */
    static final List<String> CHANGES_A_SENT_MESSAGE = List.of("edit", "caption", "delete", "pin");

    private static final ObjectMapper JSON = new ObjectMapper();

    private OutgoingCodec() {
    }

    static String method(OutgoingMessage message) {
        if (message instanceof OutgoingMessage.Send) {
            return "send";
        }
        if (message instanceof OutgoingMessage.Edit) {
            return "edit";
        }
        if (message instanceof OutgoingMessage.Document) {
            return "document";
        }
        if (message instanceof OutgoingMessage.CommandMenu) {
            return "menu";
        }
        if (message instanceof OutgoingMessage.SendMedia) {
            return "media";
        }
        if (message instanceof OutgoingMessage.SendAlbum) {
            return "album";
        }
        if (message instanceof OutgoingMessage.EditCaption) {
            return "caption";
        }
        if (message instanceof OutgoingMessage.Delete) {
            return "delete";
        }
        if (message instanceof OutgoingMessage.Pin) {
            return "pin";
        }
        return "answer";
    }

    /**
     * Whether rows of {@code method} are messages in the chat, counted against its rate limit: button answers and
     * command menus are not (they keep their place in the chat's order but spend no token).
     */
    static boolean isChatMessage(String method) {
        return !isButtonAnswer(method) && !"menu".equals(method);
    }

    /** Whether rows of {@code method} answer a button press (answerCallbackQuery). */
    static boolean isButtonAnswer(String method) {
        return "answer".equals(method);
    }

    /** The chat a message goes to or, for a button answer, the chat the button was pressed in. */
    static long chatId(OutgoingMessage message) {
        if (message instanceof OutgoingMessage.Send send) {
            return send.chatId();
        }
        if (message instanceof OutgoingMessage.Edit edit) {
            return edit.chatId();
        }
        if (message instanceof OutgoingMessage.Document document) {
            return document.chatId();
        }
        if (message instanceof OutgoingMessage.CommandMenu menu) {
            return menu.chatId();
        }
        if (message instanceof OutgoingMessage.SendMedia media) {
            return media.chatId();
        }
        if (message instanceof OutgoingMessage.SendAlbum album) {
            return album.chatId();
        }
        if (message instanceof OutgoingMessage.EditCaption caption) {
            return caption.chatId();
        }
        if (message instanceof OutgoingMessage.Delete delete) {
            return delete.chatId();
        }
        if (message instanceof OutgoingMessage.Pin pin) {
            return pin.chatId();
        }
        return ((OutgoingMessage.AnswerButton) message).chatId();
    }

    static String encode(OutgoingMessage message) {
        ObjectNode node = JSON.createObjectNode();
        if (message instanceof OutgoingMessage.Send send) {
            node.put("html", send.html());
            node.set("keyboard", keyboard(send.keyboard()));
            if (send.silent()) {
                node.put("silent", true);
            }
        } else if (message instanceof OutgoingMessage.Edit edit) {
            node.put("messageId", edit.messageId());
            node.put("html", edit.html());
            node.set("keyboard", keyboard(edit.keyboard()));
        } else if (message instanceof OutgoingMessage.Document document) {
            node.put("fileName", document.fileName());
            node.put("content", Base64.getEncoder().encodeToString(document.content()));
            node.put("caption", document.captionHtml());
        } else if (message instanceof OutgoingMessage.CommandMenu menu) {
            ArrayNode commands = node.putArray("commands");
            menu.commands().forEach(command -> commands.addObject().put("name", command.name())
                    .put("description", command.description()));
        } else if (message instanceof OutgoingMessage.SendMedia media) {
            node.put("kind", media.media().kind().code());
            node.put("file", media.media().file());
            node.put("caption", media.captionHtml());
            // Only when there are some: rows stored before media carried buttons read the same.
            if (!media.keyboard().isEmpty()) {
                node.set("keyboard", keyboard(media.keyboard()));
            }
            if (media.silent()) {
                node.put("silent", true);
            }
        } else if (message instanceof OutgoingMessage.SendAlbum album) {
            ArrayNode items = node.putArray("items");
            album.items().forEach(item -> items.addObject().put("kind", item.kind().code()).put("file", item.file()));
            node.put("caption", album.captionHtml());
            if (album.silent()) {
                node.put("silent", true);
            }
        } else if (message instanceof OutgoingMessage.EditCaption caption) {
            node.put("messageId", caption.messageId());
            node.put("caption", caption.captionHtml());
        } else if (message instanceof OutgoingMessage.Delete delete) {
            node.put("messageId", delete.messageId());
            node.put("count", delete.count());
        } else if (message instanceof OutgoingMessage.Pin pin) {
            node.put("messageId", pin.messageId());
        } else {
            OutgoingMessage.AnswerButton answer = (OutgoingMessage.AnswerButton) message;
            node.put("callbackId", answer.callbackId());
            answer.notice().ifPresent(notice -> node.put("notice", notice));
        }
        return node.toString();
    }

    /** Rebuilds a message for {@code chatId}, which may differ from the original after a group migrated. */
    static OutgoingMessage decode(String method, long chatId, String payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox payload is not JSON", e);
        }
        return switch (method) {
            case "send" -> new OutgoingMessage.Send(chatId, node.path("html").asText(), keyboard(node.path("keyboard")),
                    node.path("silent").asBoolean(false));
            case "edit" -> new OutgoingMessage.Edit(chatId, node.path("messageId").asInt(), node.path("html").asText(),
                    keyboard(node.path("keyboard")));
            case "document" -> new OutgoingMessage.Document(chatId, node.path("fileName").asText(),
                    Base64.getDecoder().decode(node.path("content").asText()), node.path("caption").asText());
            case "menu" -> new OutgoingMessage.CommandMenu(chatId, menuCommands(node.path("commands")));
            case "media" -> new OutgoingMessage.SendMedia(chatId, media(node), node.path("caption").asText(),
                    keyboard(node.path("keyboard")), node.path("silent").asBoolean(false));
            case "album" -> {
                List<Media> items = new ArrayList<>();
                node.path("items").forEach(item -> items.add(media(item)));
                yield new OutgoingMessage.SendAlbum(chatId, items, node.path("caption").asText(),
                        node.path("silent").asBoolean(false));
            }
            case "caption" -> new OutgoingMessage.EditCaption(chatId, node.path("messageId").asInt(),
                    node.path("caption").asText());
            case "delete" -> new OutgoingMessage.Delete(chatId, node.path("messageId").asInt(),
                    node.path("count").asInt(1));
            case "pin" -> new OutgoingMessage.Pin(chatId, node.path("messageId").asInt());
            case "answer" -> new OutgoingMessage.AnswerButton(chatId, node.path("callbackId").asText(),
                    node.has("notice") ? Optional.of(node.path("notice").asText()) : Optional.empty());
            default -> throw new IllegalStateException("unknown outbox method " + method);
        };
    }

    private static List<OutgoingMessage.MenuCommand> menuCommands(JsonNode commands) {
        List<OutgoingMessage.MenuCommand> result = new ArrayList<>();
        commands.forEach(command -> result.add(new OutgoingMessage.MenuCommand(command.path("name").asText(),
                command.path("description").asText())));
        return result;
    }

    private static Media media(JsonNode node) {
        return new Media(Media.Kind.fromCode(node.path("kind").asText()), node.path("file").asText());
    }

    private static ArrayNode keyboard(Keyboard keyboard) {
        ArrayNode rows = JSON.createArrayNode();
        for (List<Button> row : keyboard.rows()) {
            ArrayNode buttons = rows.addArray();
            row.forEach(button -> {
                ObjectNode stored = buttons.addObject().put("label", button.label()).put("data", button.data());
                button.url().ifPresent(url -> stored.put("url", url));
            });
        }
        return rows;
    }

    private static Keyboard keyboard(JsonNode rows) {
        List<List<Button>> result = new ArrayList<>();
        for (JsonNode row : rows) {
            List<Button> buttons = new ArrayList<>();
            row.forEach(button -> buttons.add(new Button(button.path("label").asText(), button.path("data").asText(),
                    button.hasNonNull("url") ? Optional.of(button.path("url").asText()) : Optional.empty())));
            result.add(buttons);
        }
        return new Keyboard(result);
    }
}
