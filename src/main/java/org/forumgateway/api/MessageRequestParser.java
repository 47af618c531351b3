package org.forumgateway.api;

import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.announcements.Content;
import org.forumgateway.announcements.HtmlText;
import org.forumgateway.chat.Media;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code POST /v1/messages} body strictly: every problem is reported with its JSON Pointer, and a body
 * with any problem queues nothing.
 */
final class MessageRequestParser {
    /** A text is split like an announcement's; more parts than this is a text that belongs in a document. */
    static final int MAX_PARTS = 10;
    static final int MAX_BUTTONS = 10;
    static final int MAX_BUTTON_TEXT = 64;
    static final int MAX_REFERENCE = 200;
    static final int MAX_EXTERNAL_ID = 200;
    /** How far in the past a send_at may be and still mean "now": callers' clocks differ from ours by that much. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    static final Duration MAX_AHEAD = Duration.ofDays(366);
    private static final Set<String> FIELDS = Set.of("to", "text", "texts", "media", "buttons", "send_at",
            "send_at_local", "expires_at", "urgent", "silent", "reference");
    /** A date and a time of day without an offset: each recipient's own wall clock. */
    private static final Pattern LOCAL_DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2})?");
    /** The zones furthest ahead of and behind UTC: a wall-clock time comes first at +14:00 and last at -12:00. */
    private static final ZoneOffset FIRST_ZONE = ZoneOffset.ofHours(14);
    private static final ZoneOffset LAST_ZONE = ZoneOffset.ofHours(-12);
    private static final Set<String> MEDIA_FIELDS = Set.of("type", "file_id", "url");
    /** Telegram's file ids: URL-safe base64 and nothing else, so one cannot be mistaken for a URL or a path. */
    private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Set<String> TARGETS = Set.of("telegram_id", "external_id", "chat_id", "audience");
    private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}");
    /** Far more than any audience staff write ("delegates country:KZ lang:ru event:plenary going"). */
    static final int MAX_AUDIENCE = 500;
    /** RFC 3339: a date, 'T' (or 't' or ' '), a time, and an offset (Z or ±hh:mm). */
    private static final Pattern RFC_3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    /** Why a group cannot be written to: the bot learns its groups from Telegram's my_chat_member updates. */
    static final String NOT_IN_GROUP = "The bot is not known to be in this group: add the bot to the group first";

    private final AudienceResolver audiences;
    private final List<String> countries;
    private final List<String> languages;
    private final Clock clock;

    /**
     * @param countries the countries whose delegates the bot serves: another {@code country:} term is a mistake
     * @param languages the languages the bot speaks: another {@code lang:} term, or a text in another, would reach
     *                  nobody
     */
    MessageRequestParser(AudienceResolver audiences, List<String> countries, List<String> languages, Clock clock) {
        this.audiences = audiences;
        this.countries = List.copyOf(countries);
        this.languages = List.copyOf(languages);
        this.clock = clock;
    }

    MessageRequest parse(byte[] body) {
        JsonInput.Fields fields = JsonInput.object(body).allowOnly(FIELDS);
        Optional<MessageRequest.Target> to = target(fields);
        Optional<List<Media>> media = media(fields);
        // Media given but refused (too many items) still make the text optional: one error, not a second about text.
        Map<String, String> texts = texts(fields, media.isPresent() || fields.has("media"));
        List<MessageRequest.LinkButton> buttons = buttons(fields);
        if (media.map(List::size).orElse(0) > 1 && fields.has("buttons")) {
            fields.error(fields.pointer("buttons"), "Telegram shows no buttons under an album; send a single photo, "
                    + "document or video with them, or the buttons in a text message.");
        }
        Optional<Instant> sendAt = sendAt(fields);
        Optional<LocalDateTime> sendAtLocal = sendAtLocal(fields);
        Optional<Instant> expiresAt = expiresAt(fields,
                sendAt.or(() -> sendAtLocal.map(local -> local.toInstant(FIRST_ZONE))));
        boolean urgent = fields.bool("urgent").orElse(false);
        boolean silent = fields.bool("silent").orElse(false);
        Optional<String> reference = fields.text("reference");
        reference.filter(text -> text.isEmpty() || text.length() > MAX_REFERENCE)
                .ifPresent(text -> fields.error(fields.pointer("reference"), "Must be 1-" + MAX_REFERENCE
                        + " characters."));
        fields.finish();
        return new MessageRequest(to.orElseThrow(), texts, media.orElse(List.of()), buttons, sendAt, sendAtLocal,
                expiresAt, urgent, silent, reference);
    }

    private Optional<MessageRequest.Target> target(JsonInput.Fields fields) {
        if (!fields.has("to")) {
            fields.error(fields.pointer("to"), "Required: one of telegram_id, external_id, chat_id, audience.");
            return Optional.empty();
        }
        Optional<JsonInput.Fields> found = fields.object("to");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        JsonInput.Fields to = found.get().allowOnly(TARGETS);
        List<String> given = TARGETS.stream().filter(to::has).sorted().toList();
        if (given.size() != 1) {
            to.error(to.pointer(), given.isEmpty()
                    ? "Give one of telegram_id, external_id, chat_id, audience."
                    : "Give exactly one target, not " + String.join(" and ", given) + ".");
            return Optional.empty();
        }
        String name = given.get(0);
        String at = to.pointer(name);
        switch (name) {
            case "telegram_id" -> {
                return to.integer(name).filter(id -> {
                    if (id <= 0) {
                        to.error(at, "Must be a positive Telegram user id.");
                    }
                    return id > 0;
                }).map(MessageRequest.Target.TelegramId::new);
            }
            case "chat_id" -> {
                return to.integer(name).filter(id -> {
                    if (id >= 0) {
                        to.error(at, "Must be a group's chat id (negative).");
                    }
                    return id < 0;
                }).map(MessageRequest.Target.ChatId::new);
            }
            case "external_id" -> {
                return to.text(name).filter(id -> {
                    boolean valid = !id.isBlank() && id.length() <= MAX_EXTERNAL_ID;
                    if (!valid) {
                        to.error(at, "Must be 1-" + MAX_EXTERNAL_ID + " characters.");
                    }
                    return valid;
                }).map(MessageRequest.Target.ExternalId::new);
            }
            default -> {
                return to.text(name).flatMap(text -> audience(to, at, text)).map(MessageRequest.Target.Audience::new);
            }
        }
    }

    /** The terms of /announce; spaces separate terms too, and "event:key going" is "event:key:going". */
    private Optional<AudienceTerms> audience(JsonInput.Fields to, String at, String text) {
        if (text.length() > MAX_AUDIENCE) {
            // Each term costs a query and a clause of the recipients' query: thousands of them (a 256 KB body) would
            // hold a database connection for seconds, and a dry run could repeat that at the key's rate.
            to.error(at, "At most " + MAX_AUDIENCE + " characters.");
            return Optional.empty();
        }
        String normalized = text.strip().replaceAll("(event:[A-Za-z0-9-]+)\\s+(going|maybe|waitlisted)\\b", "$1:$2")
                .replaceAll("[\\s,]+", ",");
        AudienceTerms.Parsed parsed = AudienceTerms.parse(normalized);
        if (parsed.terms().isEmpty()) {
            to.error(at, "Unknown audience term '" + parsed.unknownTerm().orElse(text) + "'; use all, delegates, "
                    + "supporters, staff, cohort:<n>, country:<XX>, event:<key>[:going|maybe|waitlisted], lang:<xx>, "
                    + "groups, group:<chat id>.");
            return Optional.empty();
        }
        AudienceTerms terms = parsed.terms().get();
        List<String> unknownEvents = audiences.unknownEvents(terms);
        List<Integer> unknownCohorts = audiences.unknownCohorts(terms);
        if (!unknownEvents.isEmpty()) {
            to.error(at, "No event '" + unknownEvents.get(0) + "'.");
        }
        if (!unknownCohorts.isEmpty()) {
            to.error(at, "No cohort " + unknownCohorts.get(0) + ".");
        }
        List<Long> unknownGroups = audiences.unknownGroups(terms);
        if (!unknownGroups.isEmpty()) {
            to.error(at, NOT_IN_GROUP + " (group:" + unknownGroups.get(0) + ").");
        }
        // A typo in a country or a language would otherwise be accepted and reach nobody.
        Optional<String> unknownCountry = terms.countries().stream().sorted().filter(code -> !countries.contains(code))
                .findFirst();
        unknownCountry.ifPresent(code -> to.error(at, "No country '" + code + "' among the forum's countries ("
                + String.join(", ", countries) + ")."));
        Optional<String> unknownLanguage = terms.languages().stream().sorted().filter(code -> !languages.contains(code))
                .findFirst();
        unknownLanguage.ifPresent(code -> to.error(at, "The bot does not speak '" + code + "'; it speaks "
                + String.join(", ", languages) + "."));
        return unknownEvents.isEmpty() && unknownCohorts.isEmpty() && unknownGroups.isEmpty()
                && unknownCountry.isEmpty() && unknownLanguage.isEmpty() ? Optional.of(terms) : Optional.empty();
    }

    /**
     * The photo, document or video (or album) of {@code media}, when the field is given; each is named by a
     * Telegram file_id or an https URL Telegram fetches itself, never uploaded by us.
     */
    private static Optional<List<Media>> media(JsonInput.Fields fields) {
        Optional<List<JsonInput.Fields>> items = fields.objects("media", Content.MAX_ALBUM);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        if (items.get().isEmpty()) {
            fields.error(fields.pointer("media"), "Give 1-" + Content.MAX_ALBUM + " items: one photo, document or "
                    + "video, or an album; 0 given.");
        }
        List<Media> media = new ArrayList<>();
        // The item each valid medium came from: an invalid one before it would otherwise shift the pointer.
        List<JsonInput.Fields> givenBy = new ArrayList<>();
        for (JsonInput.Fields item : items.get()) {
            item.allowOnly(MEDIA_FIELDS);
            Optional<Media.Kind> kind = mediaKind(item);
            Optional<String> file = mediaFile(item);
            if (kind.isPresent() && file.isPresent()) {
                media.add(new Media(kind.get(), file.get()));
                givenBy.add(item);
            }
        }
        if (media.size() > 1) {
            // Telegram groups photos with videos, and documents only with documents.
            boolean documents = media.get(0).kind() == Media.Kind.DOCUMENT;
            for (int i = 1; i < media.size(); i++) {
                if ((media.get(i).kind() == Media.Kind.DOCUMENT) != documents) {
                    fields.error(givenBy.get(i).pointer("type"), "An album holds photos and videos, or documents "
                            + "only; Telegram does not mix documents with photos or videos.");
                    break;
                }
            }
        }
        return Optional.of(media);
    }

    private static Optional<Media.Kind> mediaKind(JsonInput.Fields item) {
        if (!item.has("type")) {
            item.error(item.pointer("type"), "Required: photo, document or video.");
            return Optional.empty();
        }
        return item.text("type").flatMap(type -> {
            Optional<Media.Kind> kind = switch (type) {
                case "photo" -> Optional.of(Media.Kind.PHOTO);
                case "document" -> Optional.of(Media.Kind.DOCUMENT);
                case "video" -> Optional.of(Media.Kind.VIDEO);
                default -> Optional.empty();
            };
            if (kind.isEmpty()) {
                item.error(item.pointer("type"), "Unknown type '" + type + "'; use photo, document or video.");
            }
            return kind;
        });
    }

    /** Exactly one of file_id and url. */
    private static Optional<String> mediaFile(JsonInput.Fields item) {
        boolean byId = item.has("file_id");
        if (byId == item.has("url")) {
            item.error(item.pointer(), byId ? "Give file_id or url, not both."
                    : "Required: file_id (a file Telegram gave the bot) or url (https).");
            return Optional.empty();
        }
        if (byId) {
            return item.text("file_id").filter(id -> {
                boolean valid = id.length() <= Media.MAX_FILE_LENGTH && FILE_ID.matcher(id).matches();
                if (!valid) {
                    item.error(item.pointer("file_id"), "Not a Telegram file_id: 1-" + Media.MAX_FILE_LENGTH
                            + " letters, digits, '-' and '_'.");
                }
                return valid;
            });
        }
        return item.text("url").filter(url -> {
            boolean valid = url.length() <= Media.MAX_FILE_LENGTH && isHttps(url);
            if (!valid) {
                item.error(item.pointer("url"), "Must be an absolute https URL of at most " + Media.MAX_FILE_LENGTH
                        + " characters.");
            }
            return valid;
        });
    }

    /**
     * The texts by locale. Without media, text or texts is required; with media they are the caption per language,
     * and may be left out.
     */
    private Map<String, String> texts(JsonInput.Fields fields, boolean withMedia) {
        Map<String, String> texts = new LinkedHashMap<>();
        boolean one = fields.has("text");
        boolean many = fields.has("texts");
        if (one && many) {
            fields.error(fields.pointer("texts"), "Give text or texts, not both.");
            return texts;
        }
        if (!one && !many) {
            if (!withMedia) {
                fields.error(fields.pointer("text"), "Required: text, or texts by locale (or media).");
            }
            return texts;
        }
        if (one) {
            fields.text("text").ifPresent(html -> {
                if (checkHtml(fields, fields.pointer("text"), html, withMedia)) {
                    texts.put(MessageRequest.EVERYONE, html);
                }
            });
            return texts;
        }
        fields.object("texts").ifPresent(byLocale -> {
            if (byLocale.node().isEmpty()) {
                byLocale.error(byLocale.pointer(), "Give at least one locale's text.");
            }
            Iterator<String> names = byLocale.node().fieldNames();
            while (names.hasNext()) {
                String locale = names.next();
                String at = byLocale.pointer(locale);
                if (!LOCALE.matcher(locale).matches()) {
                    byLocale.error(at, "Not a locale code such as en, ko or ru.");
                    continue;
                }
                if (!languages.contains(locale)) {
                    // Every reader's language is one the bot speaks: a text in another (kz for kk) reaches nobody.
                    byLocale.error(at, "The bot does not speak '" + locale + "'; it speaks "
                            + String.join(", ", languages) + ".");
                    continue;
                }
                if (byLocale.node().get(locale).isNull()) {
                    // Not "absent" here: a locale named without a text would leave its readers nothing to read.
                    byLocale.error(at, "Must be a string.");
                    continue;
                }
                byLocale.text(locale).ifPresent(html -> {
                    if (checkHtml(byLocale, at, html, withMedia)) {
                        texts.put(locale, html);
                    }
                });
            }
        });
        return texts;
    }

    /** Validates staff-like HTML and its length: after splitting for a text, as it is for a caption. */
    private static boolean checkHtml(JsonInput.Fields fields, String at, String html, boolean caption) {
        Optional<HtmlText.Problem> problem = HtmlText.check(html);
        if (problem.isPresent()) {
            fields.error(at, describe(problem.get()));
            return false;
        }
        if (caption) {
            int length = HtmlText.visibleLength(html);
            if (length > Content.MAX_CAPTION) {
                fields.error(at, "Too long for a caption: " + length + " characters after formatting; Telegram "
                        + "allows at most " + Content.MAX_CAPTION + " under a photo, document or video.");
                return false;
            }
            return true;
        }
        int parts = HtmlText.split(html, HtmlText.MAX_MESSAGE).size();
        if (parts > MAX_PARTS) {
            fields.error(at, "Too long: " + HtmlText.visibleLength(html) + " characters would be " + parts
                    + " messages; at most " + MAX_PARTS + " (of " + HtmlText.MAX_MESSAGE + " characters).");
            return false;
        }
        return true;
    }

    private static String describe(HtmlText.Problem problem) {
        return switch (problem.kind()) {
            case UNSUPPORTED_TAG -> "Telegram does not allow " + problem.detail() + ".";
            case UNCLOSED_TAG -> problem.detail() + " is opened and never closed.";
            case UNEXPECTED_CLOSE -> problem.detail() + " closes a tag that is not open.";
            case RESERVED_CHARACTER -> "A bare '" + problem.detail() + "': write &lt; &gt; &amp; instead.";
            case EMPTY -> "The text is empty.";
            case BAD_ATTRIBUTE -> "The tag " + problem.detail() + " is not written the way Telegram needs: quote "
                    + "attribute values, use span only with class=\"tg-spoiler\", give tg-emoji a numeric emoji-id.";
            case UNSAFE_LINK -> "The link '" + problem.detail() + "' would not open: use http://, https:// or tg:// links.";
            case BAD_ENTITY -> "Telegram does not read '" + problem.detail() + "': use &lt; &gt; &amp; &quot; or a "
                    + "character number such as &#9731;.";
            case LINK_IN_LINK -> "A link inside another link: Telegram shows one link at a time.";
            case TOO_DEEP -> problem.detail() + " is inside " + HtmlText.MAX_OPEN_TAGS + " other tags; at most "
                    + HtmlText.MAX_OPEN_TAGS + " may be open at once.";
        };
    }

    private static List<MessageRequest.LinkButton> buttons(JsonInput.Fields fields) {
        List<MessageRequest.LinkButton> buttons = new ArrayList<>();
        fields.objects("buttons", MAX_BUTTONS).ifPresent(items -> {
            for (JsonInput.Fields button : items) {
                button.allowOnly(Set.of("text", "url"));
                Optional<String> text = button.text("text");
                Optional<String> url = button.text("url");
                if (!button.has("text")) {
                    button.error(button.pointer("text"), "Required.");
                }
                if (!button.has("url")) {
                    button.error(button.pointer("url"), "Required.");
                }
                text.filter(label -> label.isBlank() || label.length() > MAX_BUTTON_TEXT).ifPresent(label ->
                        button.error(button.pointer("text"), "Must be 1-" + MAX_BUTTON_TEXT + " characters."));
                url.filter(address -> !isWebAddress(address)).ifPresent(address ->
                        button.error(button.pointer("url"), "Must be an absolute http or https URL."));
                if (text.isPresent() && url.isPresent()) {
                    buttons.add(new MessageRequest.LinkButton(text.get(), url.get()));
                }
            }
        });
        return buttons;
    }

    static boolean isWebAddress(String text) {
        return hasScheme(text, Set.of("http", "https"));
    }

    /** Telegram fetches media by URL itself; only https is taken, so nothing travels in the clear. */
    private static boolean isHttps(String text) {
        return hasScheme(text, Set.of("https"));
    }

    private static boolean hasScheme(String text, Set<String> schemes) {
        if (text.length() > 2048) {
            return false;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return schemes.contains(scheme) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private Optional<Instant> sendAt(JsonInput.Fields fields) {
        Optional<Instant> instant = dateTime(fields, "send_at");
        if (instant.isEmpty()) {
            return Optional.empty();
        }
        String at = fields.pointer("send_at");
        Instant now = clock.instant();
        if (instant.get().isBefore(now.minus(CLOCK_SKEW))) {
            fields.error(at, "Is in the past.");
            return Optional.empty();
        }
        if (!instant.get().isAfter(now)) {
            return Optional.empty(); // "now" by a caller whose clock is a little behind: sent at once
        }
        if (instant.get().isAfter(now.plus(MAX_AHEAD))) {
            fields.error(at, "Is more than a year ahead.");
            return Optional.empty();
        }
        return instant;
    }

    /**
     * A wall-clock time each recipient gets the message at in their own zone: not with send_at, not passed in every
     * zone on earth (who is past it gets the message at once), and within a year.
     */
    private Optional<LocalDateTime> sendAtLocal(JsonInput.Fields fields) {
        Optional<String> text = fields.text("send_at_local");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String at = fields.pointer("send_at_local");
        if (fields.has("send_at")) {
            fields.error(at, "Give send_at (one instant for everyone) or send_at_local (each recipient's own clock), "
                    + "not both.");
            return Optional.empty();
        }
        if (!LOCAL_DATE_TIME.matcher(text.get()).matches()) {
            fields.error(at, "Must be a date and time without an offset, such as 2026-12-01T09:00: each recipient "
                    + "gets the message at that time in their own time zone.");
            return Optional.empty();
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(text.get().replace(' ', 'T').replace('t', 'T'));
        } catch (DateTimeParseException e) {
            fields.error(at, "Not a valid date and time.");
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (local.toInstant(LAST_ZONE).isBefore(now.minus(CLOCK_SKEW))) {
            fields.error(at, "Has passed in every time zone.");
            return Optional.empty();
        }
        if (local.toInstant(FIRST_ZONE).isAfter(now.plus(MAX_AHEAD))) {
            fields.error(at, "Is more than a year ahead.");
            return Optional.empty();
        }
        return Optional.of(local);
    }

    /** When what is not yet sent stops being worth sending: after the message's start, and within a year of it. */
    private Optional<Instant> expiresAt(JsonInput.Fields fields, Optional<Instant> sendAt) {
        Optional<Instant> instant = dateTime(fields, "expires_at");
        if (instant.isEmpty()) {
            return Optional.empty();
        }
        String at = fields.pointer("expires_at");
        Instant now = clock.instant();
        Instant start = sendAt.filter(first -> first.isAfter(now)).orElse(now);
        if (!instant.get().isAfter(start)) {
            fields.error(at, start.equals(now) ? "Is in the past."
                    : "Must be after " + (fields.has("send_at") ? "send_at" : "send_at_local in the first time zone "
                    + "to reach it (+14:00)") + ".");
            return Optional.empty();
        }
        if (instant.get().isAfter(start.plus(MAX_AHEAD))) {
            fields.error(at, "Is more than a year after the message's start.");
            return Optional.empty();
        }
        return instant;
    }

    /** The RFC 3339 date-time in {@code field}, if given and valid; an error on its pointer if given and not. */
    private static Optional<Instant> dateTime(JsonInput.Fields fields, String field) {
        Optional<String> text = fields.text(field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String at = fields.pointer(field);
        if (!RFC_3339.matcher(text.get()).matches()) {
            fields.error(at, "Must be an RFC 3339 date-time with an offset, such as 2026-12-01T10:00:00+09:00.");
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.get().replace(' ', 'T').replace('t', 'T').replace('z', 'Z'),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            fields.error(at, "Not a valid date-time.");
            return Optional.empty();
        }
    }
}
