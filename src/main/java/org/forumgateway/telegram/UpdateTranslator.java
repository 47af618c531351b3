package org.forumgateway.telegram;

import org.forumgateway.chat.ChatRef;
import org.forumgateway.chat.FormattedText;
import org.forumgateway.chat.GroupMembership;
import org.forumgateway.chat.Incoming;
import org.forumgateway.chat.Media;
import org.forumgateway.chat.TextEntity;
import org.forumgateway.users.TelegramProfile;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;
import org.telegram.telegrambots.meta.api.objects.chatmember.ChatMember;
import org.telegram.telegrambots.meta.api.objects.chatmember.ChatMemberAdministrator;
import org.telegram.telegrambots.meta.api.objects.chatmember.ChatMemberRestricted;
import org.telegram.telegrambots.meta.api.objects.chatmember.ChatMemberUpdated;
import org.telegram.telegrambots.meta.api.objects.chatmember.MemberStatus;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.photo.PhotoSize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
        if (update.hasMyChatMember()) {
            return fromMembership(update.getMyChatMember());
        }
        // Edits, channel posts, other people's membership changes and the rest need no answer.
        return Optional.empty();
    }

    private Optional<Incoming> fromMessage(Message message) {
        if (message.getFrom() == null || Boolean.TRUE.equals(message.getFrom().getIsBot())) {
            return Optional.empty();
        }
        ChatRef chat = new ChatRef(message.getChatId(), Boolean.TRUE.equals(message.getChat().isUserChat()));
        TelegramProfile from = profile(message.getFrom());
        Optional<Media> media = media(message);
        if (media.isPresent()) {
            return Optional.of(new Incoming.Attachment(chat, from, media.get(),
                    new FormattedText(Objects.requireNonNullElse(message.getCaption(), ""),
                            entities(message.getCaptionEntities())),
                    Optional.ofNullable(message.getMediaGroupId())));
        }
        if (!message.hasText()) {
            return Optional.of(new Incoming.Unsupported(chat, from));
        }
        String text = message.getText();
        if (!text.startsWith("/")) {
            return Optional.of(new Incoming.Text(chat, from, text, entities(message.getEntities())));
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

    /** The photo (its largest size), document or video, by the file_id Telegram gave it. */
    private static Optional<Media> media(Message message) {
        if (message.hasPhoto() && !message.getPhoto().isEmpty()) {
            PhotoSize largest = message.getPhoto().stream()
                    .max(Comparator.comparingLong(size -> (long) size.getWidth() * size.getHeight()))
                    .orElseThrow();
            return Optional.of(new Media(Media.Kind.PHOTO, largest.getFileId()));
        }
        if (message.hasVideo()) {
            return Optional.of(new Media(Media.Kind.VIDEO, message.getVideo().getFileId()));
        }
        if (message.hasDocument()) {
            return Optional.of(new Media(Media.Kind.DOCUMENT, message.getDocument().getFileId()));
        }
        return Optional.empty();
    }

    private static List<TextEntity> entities(List<MessageEntity> entities) {
        if (entities == null) {
            return List.of();
        }
        List<TextEntity> result = new ArrayList<>();
        for (MessageEntity entity : entities) {
            if (entity.getType() == null || entity.getOffset() == null || entity.getLength() == null) {
                continue;
            }
            Optional<String> argument = switch (entity.getType()) {
                case "text_link" -> Optional.ofNullable(entity.getUrl());
                case "text_mention" -> Optional.ofNullable(entity.getUser()).map(user -> String.valueOf(user.getId()));
                case "pre" -> Optional.ofNullable(entity.getLanguage());
                case "custom_emoji" -> Optional.ofNullable(entity.getCustomEmojiId());
                default -> Optional.empty();
            };
            result.add(new TextEntity(entity.getType(), entity.getOffset(), entity.getLength(), argument));
        }
        return result;
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

    /**
     * The bot's own place in a group or supergroup changed, or a person blocked or unblocked it in their private
     * chat. Channels are left out: they are not audiences.
     */
    private static Optional<Incoming> fromMembership(ChatMemberUpdated update) {
        Chat chat = update.getChat();
        ChatMember now = update.getNewChatMember();
        if (chat != null && Boolean.TRUE.equals(chat.isUserChat()) && now != null && update.getFrom() != null
                && update.getFrom().getId().equals(chat.getId())) {
            // "kicked" in a private chat is the person blocking the bot; "member" is them unblocking it.
            String status = Objects.requireNonNullElse(now.getStatus(), "");
            return status.equals(MemberStatus.KICKED) || status.equals(MemberStatus.MEMBER)
                    ? Optional.of(new Incoming.BlockChanged(new ChatRef(chat.getId(), true), profile(update.getFrom()),
                            status.equals(MemberStatus.KICKED)))
                    : Optional.empty();
        }
        boolean group = chat != null
                && (Boolean.TRUE.equals(chat.isGroupChat()) || Boolean.TRUE.equals(chat.isSuperGroupChat()));
        if (!group || now == null || update.getFrom() == null) {
            return Optional.empty();
        }
        String status = Objects.requireNonNullElse(now.getStatus(), MemberStatus.LEFT);
        boolean creator = status.equals(MemberStatus.CREATOR);
        boolean administrator = creator || status.equals(MemberStatus.ADMINISTRATOR);
        // "restricted" is a member with limits; Telegram says whether they still count as a member.
        boolean member = administrator || status.equals(MemberStatus.MEMBER)
                || now instanceof ChatMemberRestricted restricted && Boolean.TRUE.equals(restricted.getIsMember());
        // A basic group's administrators may all pin: Telegram leaves can_pin_messages out there.
        boolean canPin = creator || now instanceof ChatMemberAdministrator admin
                && !Boolean.FALSE.equals(admin.getCanPinMessages());
        return Optional.of(new Incoming.MembershipChanged(new ChatRef(chat.getId(), false), profile(update.getFrom()),
                new GroupMembership(chat.getId(), Objects.requireNonNullElse(chat.getTitle(), ""),
                        Boolean.TRUE.equals(chat.isSuperGroupChat()), member, administrator, canPin)));
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
