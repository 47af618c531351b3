package org.forumgateway.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import org.forumgateway.chat.DeliveryResult;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Media;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real telegrambots client against the fake Bot API: files by reference, pins, and how refusals come back. */
class TelegramTransportTest {
    private static final long GROUP = -100_500;
    private static final long PERSON = 4_242;
    private FakeTelegramApi api;
    private TelegramTransport transport;

    @BeforeEach
    void start() {
        api = FakeTelegramApi.start();
        transport = new TelegramTransport(new OkHttpTelegramClient(new ObjectMapper(), new OkHttpClient(),
                FakeTelegramApi.TOKEN, TelegramBot.telegramUrl(URI.create(api.url()))));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private DeliveryResult deliver(OutgoingMessage message) {
        return transport.deliver(message).join();
    }

    @Test
    void videosAndDocumentsGoByFileIdWithTheirCaption() {
        DeliveryResult video = deliver(new OutgoingMessage.SendMedia(GROUP, new Media(Media.Kind.VIDEO, "BAACvideo"),
                "<b>Открытие</b>"));
        assertTrue(video instanceof DeliveryResult.Delivered delivered && delivered.messageId().isPresent());
        RecordedRequest sent = api.await("sendVideo", request -> request.chatId() == GROUP);
        assertEquals("BAACvideo", sent.body().path("video").asText());
        assertEquals("<b>Открытие</b>", sent.caption());
        deliver(new OutgoingMessage.SendMedia(GROUP, new Media(Media.Kind.DOCUMENT, "BQACpdf"), ""));
        assertEquals("BQACpdf", api.await("sendDocument", request -> request.chatId() == GROUP)
                .body().path("document").asText());
    }

    @Test
    void aPinNeedsTheRightAndSaysSoWhenTheBotLacksIt() {
        int messageId = ((DeliveryResult.Delivered) deliver(new OutgoingMessage.SendMedia(GROUP,
                new Media(Media.Kind.PHOTO, "AgACposter"), "Poster"))).messageId().orElseThrow();
        assertInstanceOf(DeliveryResult.Delivered.class, deliver(new OutgoingMessage.Pin(GROUP, messageId)));
        api.denyPinning(GROUP);
        DeliveryResult refused = deliver(new OutgoingMessage.Pin(GROUP, messageId));
        assertTrue(refused instanceof DeliveryResult.Rejected rejected
                && rejected.reason().contains("not enough rights to manage pinned messages"), refused.toString());
    }

    @Test
    void aThrottledSendWaitsAsLongAsTelegramSays() {
        api.throttleNext("sendMessage", 7);
        assertEquals(new DeliveryResult.RetryAfter(Duration.ofSeconds(7)),
                deliver(new OutgoingMessage.Send(GROUP, "Hello", Keyboard.NONE)));
    }

    @Test
    void anEditThatChangesNothingIsDoneAndAnEditOfAMessageNeverSentIsRefused() {
        int messageId = ((DeliveryResult.Delivered) deliver(new OutgoingMessage.Send(PERSON, "Seats: 3",
                Keyboard.NONE))).messageId().orElseThrow();
        assertInstanceOf(DeliveryResult.Delivered.class,
                deliver(new OutgoingMessage.Edit(PERSON, messageId, "Seats: 3", Keyboard.NONE)),
                "the same button pressed twice: the card is as it should be");
        assertEquals(400, api.requests("editMessageText").get(0).status(), "Telegram refused it as not modified");
        assertInstanceOf(DeliveryResult.Delivered.class,
                deliver(new OutgoingMessage.Edit(PERSON, messageId, "Seats: 2", Keyboard.NONE)));
        DeliveryResult unknown = deliver(new OutgoingMessage.Edit(PERSON, messageId + 100, "Seats: 2", Keyboard.NONE));
        assertTrue(unknown instanceof DeliveryResult.Rejected rejected
                && rejected.reason().contains("message to edit not found"), unknown.toString());
    }

    @Test
    void deletingAMessageAlreadyGoneAndAnUnchangedCaptionCountAsDone() {
        assertInstanceOf(DeliveryResult.Delivered.class, deliver(new OutgoingMessage.Delete(GROUP, 424242, 1)),
                "a recall wants it gone, and it is");
        api.failNext("editMessageCaption", 400, "Bad Request: message is not modified");
        assertInstanceOf(DeliveryResult.Delivered.class, deliver(new OutgoingMessage.EditCaption(GROUP, 1, "same")));
    }
}
