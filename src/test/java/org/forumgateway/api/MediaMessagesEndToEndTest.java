package org.forumgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.announcements.Content;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /v1/messages with a photo, document, video or album by file_id or https URL, over HTTP against the real
 * application and the fake Bot API: what Telegram receives, and what is refused before anything is queued.
 */
class MediaMessagesEndToEndTest extends ApiEndToEndBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeUser NURLAN = new FakeUser(7301, "Нурлан", "ru");
    private static final String POSTER = "AgACAgIAAxkBAAIBposter";

    /** Telegram's form fields (reply_markup, media) may arrive as JSON text in a multipart body. */
    private static JsonNode field(RecordedRequest request, String name) {
        JsonNode value = request.body().path(name);
        try {
            return value.isTextual() ? JSON.readTree(value.asText()) : value;
        } catch (IOException e) {
            throw new AssertionError(name + " is not JSON: " + value, e);
        }
    }

    private static List<JsonNode> albumItems(RecordedRequest album) {
        List<JsonNode> items = new ArrayList<>();
        field(album, "media").forEach(items::add);
        return items;
    }

    @Nested
    class Sending {
        @Test
        void aPhotoByFileIdReachesALinkedPersonAsSendPhotoWithTheCaptionInTheirLanguage() {
            api.sendText(NURLAN, "/start " + link("{\"external_id\": \"reg-kz-17\", \"role\": \"delegate\"}"));
            api.awaitMessageTo(NURLAN, "связан с вашей регистрацией");

            ApiClient.Answer accepted = send("poster-1", """
                    {"to": {"external_id": "reg-kz-17"}, "media": [{"type": "photo", "file_id": "%s"}],
                     "texts": {"en": "The forum's <b>programme</b>", "ru": "<b>Программа</b> форума: 15 ноября, Сеул"},
                     "buttons": [{"text": "Register", "url": "https://example.org/register"}], "silent": true,
                     "reference": "poster"}""".formatted(POSTER));
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals(1, accepted.json().path("recipients").asInt());
            assertEquals(1, accepted.json().path("parts").asInt());

            RecordedRequest photo = api.await("sendPhoto", m -> m.chatId() == NURLAN.id() && m.accepted());
            assertEquals(POSTER, photo.body().path("photo").asText(), "by file_id, never uploaded");
            assertEquals("<b>Программа</b> форума: 15 ноября, Сеул", photo.caption());
            assertTrue("HTML".equalsIgnoreCase(photo.body().path("parse_mode").asText()), photo.body().toString());
            assertTrue(photo.body().path("disable_notification").asBoolean(), photo.body().toString());
            assertEquals("https://example.org/register",
                    field(photo, "reply_markup").path("inline_keyboard").path(0).path(0).path("url").asText());

            String location = accepted.header("Location").orElseThrow();
            JsonNode done = awaitMessage(location, m -> m.path("status").asText().equals("done"));
            assertEquals(1, done.path("counts").path("sent").asInt(), done.toString());
            assertEquals(1, api.requests("sendPhoto").stream().filter(m -> m.chatId() == NURLAN.id()).count());
            assertTrue(api.messagesTo(NURLAN).stream().noneMatch(m -> m.text().contains("Программа")),
                    "the caption is not sent again as a text");
        }

        @Test
        void aDocumentByHttpsUrlArrivesAsSendDocumentAndAVideoMayGoWithoutCaption() {
            ApiClient.Answer document = send("pdf-1", """
                    {"to": {"telegram_id": 7201}, "text": "Programme (PDF) &amp; map",
                     "media": [{"type": "document", "url": "https://forum.example.org/programme.pdf"}]}""");
            assertEquals(202, document.status(), document.body());
            RecordedRequest sent = api.await("sendDocument", m -> m.chatId() == KZ_DELEGATE.id() && m.accepted());
            assertEquals("https://forum.example.org/programme.pdf", sent.body().path("document").asText(),
                    "Telegram fetches it by URL");
            assertEquals("Programme (PDF) &amp; map", sent.caption());

            botAddedTo(-1001234);
            ApiClient.Answer video = send("video-1", """
                    {"to": {"chat_id": -1001234}, "media": [{"type": "video", "file_id": "BAACAgIAAxkBAAIBvideo"}]}""");
            assertEquals(202, video.status(), video.body());
            RecordedRequest clip = api.await("sendVideo", m -> m.chatId() == -1001234 && m.accepted());
            assertEquals("BAACAgIAAxkBAAIBvideo", clip.body().path("video").asText());
            assertFalse(clip.body().hasNonNull("caption") && !clip.caption().isEmpty(), clip.body().toString());
        }

        @Test
        void anAlbumGoesToEveryoneAsOneSendMediaGroupWithTheirLanguagesCaptionUnderTheFirstItem() {
            ApiClient.Answer accepted = send("album-1", """
                    {"to": {"audience": "all"}, "silent": true,
                     "media": [{"type": "photo", "file_id": "photo-1"}, {"type": "photo", "url": "https://example.org/2.jpg"},
                               {"type": "video", "file_id": "video-3"}],
                     "texts": {"ru": "Фотографии <i>открытия</i>", "ko": "<i>개막식</i> 사진"}}""");
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals(3, accepted.json().path("recipients").asInt());
            assertEquals(1, accepted.json().path("parts").asInt(), "one album per recipient");

            Map<FakeUser, String> captions = Map.of(KZ_DELEGATE, "Фотографии <i>открытия</i>",
                    SUPPORTER, "<i>개막식</i> 사진", ADMIN, "Фотографии <i>открытия</i>");
            captions.forEach((user, caption) -> {
                RecordedRequest album = api.await("sendMediaGroup", m -> m.chatId() == user.id() && m.accepted());
                List<JsonNode> items = albumItems(album);
                assertEquals(List.of("photo-1", "https://example.org/2.jpg", "video-3"),
                        items.stream().map(item -> item.path("media").asText()).toList());
                assertEquals(List.of("photo", "photo", "video"),
                        items.stream().map(item -> item.path("type").asText()).toList());
                assertEquals(caption, items.get(0).path("caption").asText(), user.firstName());
                assertTrue(items.subList(1, 3).stream().allMatch(item -> item.path("caption").asText("").isEmpty()));
                assertTrue(album.body().path("disable_notification").asBoolean(), album.body().toString());
            });
            JsonNode done = awaitMessage(accepted.header("Location").orElseThrow(),
                    m -> m.path("status").asText().equals("done"));
            assertEquals(3, done.path("counts").path("sent").asInt(), done.toString());
            assertEquals(3, api.requests("sendMediaGroup").size(), "one album each, nothing more");
            assertEquals(3, outboxRowsOfApiMessages());
        }

        @Test
        void aScheduledPhotoGoesAtItsTimeAsStored() {
            // Five seconds ahead: answered before it, on a busy machine too.
            ApiClient.Answer scheduled = send("later-1", """
                    {"to": {"telegram_id": 7203}, "media": [{"type": "photo", "url": "https://example.org/hall.jpg"}],
                     "text": "<b>Hall B</b>", "buttons": [{"text": "Map", "url": "https://example.org/map"}],
                     "send_at": "%s"}""".formatted(clock.instant().plusSeconds(5)));
            assertEquals(202, scheduled.status(), scheduled.body());
            assertEquals("scheduled", scheduled.json().path("status").asText());
            RecordedRequest photo = api.await("sendPhoto", m -> m.chatId() == SUPPORTER.id() && m.accepted());
            assertEquals("https://example.org/hall.jpg", photo.body().path("photo").asText());
            assertEquals("<b>Hall B</b>", photo.caption());
            assertEquals("https://example.org/map",
                    field(photo, "reply_markup").path("inline_keyboard").path(0).path(0).path("url").asText());
        }

        @Test
        void aDryRunCountsMediaAsOnePartAndQueuesNothing() {
            ApiClient.Answer dry = client.post("/v1/messages?dry_run=true", "dry-album", """
                    {"to": {"audience": "all"}, "texts": {"en": "Photos"},
                     "media": [{"type": "photo", "file_id": "p1"}, {"type": "photo", "file_id": "p2"}]}""");
            assertEquals(200, dry.status(), dry.body());
            assertEquals(3, dry.json().path("recipients").asInt());
            assertEquals(1, dry.json().path("parts").asInt());
            assertTrue(dry.json().path("dry_run").asBoolean());

            String caption = "<b>" + "x".repeat(Content.MAX_CAPTION) + "</b>";
            ApiClient.Answer longest = client.post("/v1/messages?dry_run=true", "dry-caption", ApiClient.json(Map.of(
                    "to", Map.of("telegram_id", 7201), "text", caption,
                    "media", List.of(Map.of("type", "document", "file_id", "doc")))));
            assertEquals(200, longest.status(), "1024 characters after formatting fit: " + longest.body());
            assertEquals(1, longest.json().path("parts").asInt());

            ApiClient.Answer refused = client.post("/v1/messages?dry_run=true", "dry-bad",
                    "{\"to\": {\"telegram_id\": 7201}, \"media\": [{\"type\": \"photo\", \"url\": \"http://x.org/a.jpg\"}]}");
            assertEquals(400, refused.status(), "a dry run validates like a real one");
            assertEquals(List.of("/media/0/url"), refused.pointers());

            assertEquals(0, count("api_messages"));
            assertEquals(0, outboxRowsOfApiMessages());
            assertEquals(0, count("api_idempotency"));
        }

        @Test
        void theSameKeyAndMediaAnswerTheFirstAnswerAndOtherMediaUnderItAre422() {
            String body = "{\"to\": {\"telegram_id\": 7201}, \"media\": [{\"type\": \"photo\", \"file_id\": \"p1\"}]}";
            ApiClient.Answer first = send("same-media", body);
            ApiClient.Answer again = send("same-media",
                    "{\"media\": [{\"file_id\": \"p1\", \"type\": \"photo\"}], \"to\": {\"telegram_id\": 7201}}");
            assertEquals(202, again.status(), again.body());
            assertEquals(first.json(), again.json());
            assertEquals("true", again.header("Idempotent-Replayed").orElseThrow());
            ApiClient.Answer other = send("same-media",
                    "{\"to\": {\"telegram_id\": 7201}, \"media\": [{\"type\": \"photo\", \"file_id\": \"p2\"}]}");
            assertEquals(422, other.status(), other.body());
            assertEquals(Problem.IDEMPOTENCY_MISMATCH, other.json().path("type").asText());
            api.await("sendPhoto", m -> m.chatId() == KZ_DELEGATE.id() && m.accepted());
            assertEquals(1, count("api_messages"));
            assertEquals(1, outboxRowsOfApiMessages());
        }
    }

    @Nested
    class BadMediaNamesTheFieldAndQueuesNothing {
        private static final String TO = "\"to\": {\"telegram_id\": 7201}";

        private void refused(String media, String pointer) {
            refusedBody("{" + TO + ", \"text\": \"Caption\", \"media\": " + media + "}", pointer);
        }

        private void refusedBody(String body, String pointer) {
            ApiClient.Answer answer = send("bad-" + body.hashCode(), body);
            assertEquals(400, answer.status(), body + " -> " + answer.body());
            assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
            assertTrue(answer.pointers().contains(pointer), body + " -> " + answer.body());
            assertFalse(answer.json().path("errors").path(0).path("detail").asText().isBlank(), answer.body());
            assertFalse(answer.body().contains("Unknown field 'media'"), "media is a field the API reads");
        }

        @Test
        void everyKindOfBadMedia() {
            refused("[{\"type\": \"audio\", \"file_id\": \"a1\"}]", "/media/0/type");
            refused("[{\"file_id\": \"a1\"}]", "/media/0/type");
            refused("[{\"type\": 1, \"file_id\": \"a1\"}]", "/media/0/type");
            refused("[{\"type\": \"photo\", \"file_id\": \"a1\", \"url\": \"https://example.org/a.jpg\"}]", "/media/0");
            refused("[{\"type\": \"photo\"}]", "/media/0");
            refused("[{\"type\": \"photo\", \"url\": \"http://example.org/a.jpg\"}]", "/media/0/url");
            refused("[{\"type\": \"photo\", \"url\": \"file:///etc/passwd\"}]", "/media/0/url");
            refused("[{\"type\": \"photo\", \"url\": \"https:///no-host\"}]", "/media/0/url");
            refused("[{\"type\": \"photo\", \"file_id\": \"../etc/passwd\"}]", "/media/0/file_id");
            refused("[{\"type\": \"photo\", \"file_id\": 42}]", "/media/0/file_id");
            refused("[{\"type\": \"photo\", \"file_id\": \"a1\", \"width\": 800}]", "/media/0/width");
            refused("[\"a1\"]", "/media/0");
            refused("{\"type\": \"photo\", \"file_id\": \"a1\"}", "/media");
            refused("[]", "/media");
            refused(ApiClient.json(java.util.Collections.nCopies(11, Map.of("type", "photo", "file_id", "p"))),
                    "/media");
            refused("[{\"type\": \"photo\", \"file_id\": \"p1\"}, {\"type\": \"document\", \"file_id\": \"d1\"}]",
                    "/media/1/type");
            // The mix is named at the document, also behind an item refused for its own reason.
            refused("[{\"type\": \"photo\"}, {\"type\": \"photo\", \"file_id\": \"p1\"}, "
                    + "{\"type\": \"document\", \"file_id\": \"d1\"}]", "/media/2/type");
            refusedBody("{" + TO + ", \"media\": [{\"type\": \"photo\", \"file_id\": \"p1\"}, "
                    + "{\"type\": \"photo\", \"file_id\": \"p2\"}], \"buttons\": [{\"text\": \"Go\", "
                    + "\"url\": \"https://example.org\"}]}", "/buttons");
            // 1,025 characters once the tags are read, though the ru text is fine as a message of its own.
            String tooLong = "<b>" + "x".repeat(1025) + "</b>";
            refusedBody(ApiClient.json(Map.of("to", Map.of("telegram_id", 7201), "text", tooLong,
                    "media", List.of(Map.of("type", "photo", "file_id", "p1")))), "/text");
            refusedBody(ApiClient.json(Map.of("to", Map.of("telegram_id", 7201),
                    "texts", Map.of("en", "Short", "ru", "Программа. ".repeat(100)),
                    "media", List.of(Map.of("type", "photo", "file_id", "p1")))), "/texts/ru");
            refusedBody("{" + TO + ", \"text\": \"<b>open\", \"media\": [{\"type\": \"photo\", \"file_id\": \"p1\"}]}",
                    "/text");

            ApiClient.Answer several = send("several-media", "{" + TO + ", \"media\": [{\"type\": \"gif\", "
                    + "\"url\": \"ftp://x\"}, {\"type\": \"photo\", \"file_id\": \"p\", \"url\": \"https://a.org\"}]}");
            assertTrue(several.pointers().containsAll(List.of("/media/0/type", "/media/0/url", "/media/1")),
                    several.body());

            assertEquals(0, count("api_messages"));
            assertEquals(0, outboxRowsOfApiMessages());
            assertEquals(0, count("api_idempotency"));
            assertTrue(api.requests("sendPhoto").isEmpty() && api.requests("sendMediaGroup").isEmpty());
        }
    }
}
