package org.forumgateway.delivery;

import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Media;
import org.forumgateway.chat.OutgoingMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every kind of message survives the outbox: stored as a method and JSON, read back the same, in any chat. */
class OutgoingCodecTest {

    @Test
    void mediaWithButtonsAndSilenceEditsDeletesAndPinsRoundTrip() {
        List<OutgoingMessage> messages = List.of(
                new OutgoingMessage.SendMedia(-100_200, new Media(Media.Kind.DOCUMENT, "BQACprogramme"), "<b>PDF</b>"),
                new OutgoingMessage.SendAlbum(7, List.of(new Media(Media.Kind.PHOTO, "p1"),
                        new Media(Media.Kind.VIDEO, "https://kcaf.or.kr/v.mp4")), "Альбом & <i>фото</i>"),
                new OutgoingMessage.EditCaption(7, 1001, "새 설명"),
                new OutgoingMessage.Delete(7, 1001, 3),
                new OutgoingMessage.Pin(-100_200, 55),
                new OutgoingMessage.SendMedia(7, new Media(Media.Kind.PHOTO, "https://kcaf.or.kr/poster.jpg"), "",
                        Keyboard.grid(List.of(Button.link("Register", "https://kcaf.or.kr/r")), 1), true),
                new OutgoingMessage.SendAlbum(7, List.of(new Media(Media.Kind.DOCUMENT, "d1"),
                        new Media(Media.Kind.DOCUMENT, "d2")), "", true));
        for (OutgoingMessage message : messages) {
            String method = OutgoingCodec.method(message);
            long chat = OutgoingCodec.chatId(message);
            assertEquals(message, OutgoingCodec.decode(method, chat, OutgoingCodec.encode(message)), method);
        }
        assertEquals(List.of("media", "album", "caption", "delete", "pin", "media", "album"),
                messages.stream().map(OutgoingCodec::method).toList());
    }
}
