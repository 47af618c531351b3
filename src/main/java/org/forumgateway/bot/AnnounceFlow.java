package org.forumgateway.bot;

import org.forumgateway.announcements.AnnouncementReporter;
import org.forumgateway.announcements.Announcement;
import org.forumgateway.announcements.AnnouncementService;
import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.announcements.Content;
import org.forumgateway.announcements.HtmlText;
import org.forumgateway.announcements.Recipient;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.FormattedText;
import org.forumgateway.chat.Incoming;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.cohorts.CohortSummary;
import org.forumgateway.conversation.ConversationState;
import org.forumgateway.conversation.ConversationStates;
import org.forumgateway.groups.BotGroup;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.i18n.ZoneNames;
import org.forumgateway.users.Role;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /announce} (staff). The guided flow: audience, text, more languages, preview, then Send now /
 * Schedule / Cancel (and, when the audience has groups, whether to pin it there). The short form
 * {@code /announce <audience> <text>} goes straight to the preview. Every step re-checks the role; buttons carry the
 * draft's id and are checked against the database.
 */
final class AnnounceFlow implements CommandHandler, ButtonHandler {
    static final String FLOW = "announce";
    private static final String STEP_AUDIENCE = "audience";
    private static final String STEP_TEXT = "text";
    private static final String STEP_TRANSLATION = "translation:";
    private static final String STEP_SCHEDULE = "schedule";
    private static final String STEP_REVIEW = "review";
    /**
     * In the review step's data after a text, where an album id stands after one: "id|~text|variant". Album ids are
     * digits, so the two cannot be taken for each other.
     */
    private static final String AFTER_TEXT = "~text";
    /** The same after the one-line form, whose tags are typed by hand: its continuation is read the same way. */
    private static final String AFTER_LINE = "~line";
    /** In a translation step's data: the text just refused as a caption may go on in the next one. */
    private static final String AFTER_REFUSED_PART = "~refused";
    /** How soon after a part of a split text its next part arrives, at most. */
    private static final Duration PARTS_ARRIVE_WITHIN = Duration.ofSeconds(10);
    /**
     * Telegram's apps send a text longer than 4096 characters as several messages, each but the last close to the
     * limit (cut at a line or a word): a text this long followed by another at the review step is continued by it.
     */
    static final int CONTINUED_FROM = 3_000;
    private static final DateTimeFormatter TYPED_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final AnnouncementService announcements;
    private final AudienceResolver audiences;
    private final AnnouncementViews views;
    private final AnnouncementReporter reporter;
    private final ConversationStates states;
    private final CohortService cohorts;
    private final MessageCatalog catalog;
    private final EventViews eventViews;
    private final Clock clock;

    AnnounceFlow(AnnouncementService announcements, AudienceResolver audiences, AnnouncementViews views,
                 AnnouncementReporter reporter, ConversationStates states, CohortService cohorts,
                 MessageCatalog catalog, EventViews eventViews, Clock clock) {
        this.announcements = announcements;
        this.audiences = audiences;
        this.views = views;
        this.reporter = reporter;
        this.states = states;
        this.cohorts = cohorts;
        this.catalog = catalog;
        this.eventViews = eventViews;
        this.clock = clock;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("announce", Role.STAFF);
    }

    @Override
    public String prefix() {
        return "ann";
    }

    @Override
    public Role minimumRole() {
        return Role.STAFF;
    }

    // ---- /announce -----------------------------------------------------------------------------------------

    @Override
    public void handle(Conversation conversation, String arguments) {
        // A new /announce ends the steps of an earlier one, refused or not: its next text is not the old draft's.
        states.clear(conversation.user().telegramId());
        String[] words = audienceAndText(arguments.strip());
        if (words[0].isEmpty()) {
            askAudience(conversation);
            return;
        }
        Optional<AudienceTerms> audience = audience(conversation, words[0]);
        if (audience.isEmpty()) {
            return;
        }
        String text = words.length > 1 ? words[1].strip() : "";
        if (text.isEmpty()) {
            // "/announce delegates": the guided flow, with the audience chosen; it asks for the text next.
            startDraft(conversation, audience.get());
            return;
        }
        if (!validText(conversation, text)) {
            return;
        }
        Announcement draft = announcements.createDraft(conversation.user().telegramId(), audience.get(),
                Optional.of(text));
        // Telegram's apps split by the characters typed, tags typed by hand included.
        if (arguments.length() >= CONTINUED_FROM) {
            // Telegram's apps split a long one-line announcement: its next part, which arrives next, continues it.
            states.set(conversation.user().telegramId(), FLOW, STEP_REVIEW,
                    draft.id() + "|" + AFTER_LINE + "|" + Announcement.FALLBACK);
        } else {
            states.clear(conversation.user().telegramId());
        }
        preview(conversation, draft.id());
    }

    /**
     * The audience terms and the text of the one-line form: the terms are the first word, and the words after a comma
     * that ends or starts one ({@code delegates, country:KZ The session…} as people type lists).
     */
    static String[] audienceAndText(String arguments) {
        String[] words = arguments.split("\\s+", 2);
        String audience = words[0];
        String rest = words.length > 1 ? words[1] : "";
        while (!rest.isEmpty() && (audience.endsWith(",") || rest.startsWith(","))) {
            String[] next = rest.split("\\s+", 2);
            audience += next[0];
            rest = next.length > 1 ? next[1] : "";
        }
        return rest.isEmpty() ? new String[] {audience} : new String[] {audience, rest};
    }

    /**
     * Text while a step waits for it: the audience, the text, a translation or the time. Texts are taken as typed,
     * formatting from Telegram's toolbar included; tags typed by hand are text here (the one-line form reads tags).
     */
    boolean onText(Conversation conversation, ConversationState state, FormattedText typed) {
        long user = conversation.user().telegramId();
        if (!conversation.user().role().atLeast(Role.STAFF)) {
            states.clear(user);
            return false;
        }
        String step = state.step();
        String text = typed.text();
        if (step.equals(STEP_AUDIENCE) && !state.data().isEmpty()) {
            audience(conversation, text.strip()).ifPresent(terms -> reaudience(conversation, id(state), terms));
        } else if (step.equals(STEP_AUDIENCE)) {
            audience(conversation, text.strip()).ifPresent(terms -> startDraft(conversation, terms));
        } else if (step.startsWith(STEP_TRANSLATION) && followsRefusedPart(state)) {
            // The next part of a text an app split, refused as a caption: not a translation of its own. A part as
            // long as the first may be followed by a third.
            boolean goesOn = HtmlText.visibleLength(typed.html().strip()) >= CONTINUED_FROM;
            states.set(user, FLOW, step, goesOn ? refusedPart(id(state)) : String.valueOf(id(state)));
            conversation.say("announce.caption.restRefused", "limit", Content.MAX_CAPTION);
        } else if (step.equals(STEP_TEXT) || step.startsWith(STEP_TRANSLATION)) {
            String html = typed.html().strip();
            if (validText(conversation, html) && fitsAsCaption(conversation, state, html)) {
                if (announcements.setText(id(state), variant(step), html)) {
                    askLanguages(conversation, id(state), afterText(variant(step)));
                } else {
                    noLongerADraft(conversation, id(state));
                }
            }
        } else if (step.equals(STEP_REVIEW) && continuesText(state)) {
            continueText(conversation, state, typed);
        } else if (step.equals(STEP_SCHEDULE)) {
            schedule(conversation, id(state), text.strip());
        } else {
            conversation.say("announce.useButtons");
        }
        return true;
    }

    /**
     * A translation typed for an announcement whose first text came with a photo, video or file becomes their caption
     * ({@link AnnouncementService#setText}): it must fit in one. Says so when it does not.
     */
    private boolean fitsAsCaption(Conversation conversation, ConversationState state, String html) {
        int length = HtmlText.visibleLength(html);
        boolean caption = !variant(state.step()).equals(Announcement.FALLBACK)
                && announcements.find(id(state)).filter(Announcement::firstTextHasMedia).isPresent();
        if (caption && length > Content.MAX_CAPTION) {
            conversation.say("announce.caption.tooLong", "length", length, "limit", Content.MAX_CAPTION);
            if (length >= CONTINUED_FROM) {
                // An app may have split it: its next part, which arrives next, must not be taken as the translation.
                states.set(conversation.user().telegramId(), FLOW, state.step(), refusedPart(id(state)));
            }
            return false;
        }
        return true;
    }

    /** The translation step's data after a refused text that may go on in the next message: "id|~refused|millis". */
    private String refusedPart(long id) {
        return id + "|" + AFTER_REFUSED_PART + "|" + clock.millis();
    }

    /**
     * Whether this text arrived right after one refused as a caption that an app may have split: its parts arrive
     * within a second or two, while a text shortened by hand, as the refusal asks, takes longer to write.
     */
    private boolean followsRefusedPart(ConversationState state) {
        String[] data = state.data().split("\\|", 3);
        if (data.length < 3 || !data[1].equals(AFTER_REFUSED_PART)) {
            return false;
        }
        try {
            return clock.millis() - Long.parseLong(data[2]) < PARTS_ARRIVE_WITHIN.toMillis();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A photo, document or video while the text or a translation is awaited: it becomes that variant, its caption
     * the text. The items of an album arrive one by one with one album id: the first answers, the others join it.
     */
    boolean onAttachment(Conversation conversation, ConversationState state, Incoming.Attachment attachment) {
        if (!conversation.user().role().atLeast(Role.STAFF)) {
            states.clear(conversation.user().telegramId());
            return false;
        }
        String step = state.step();
        String[] review = state.data().split("\\|", 3);
        boolean albumGoesOn = step.equals(STEP_REVIEW) && review.length == 3 && attachment.albumId()
                .filter(review[1]::equals).isPresent();
        if (!albumGoesOn && !step.equals(STEP_TEXT) && !step.startsWith(STEP_TRANSLATION)) {
            conversation.say("announce.useButtons");
            return true;
        }
        String variant = albumGoesOn ? review[2] : variant(step);
        String caption = attachment.caption().html().strip();
        int length = HtmlText.visibleLength(caption);
        if (length > Content.MAX_CAPTION) {
            conversation.say("announce.caption.tooLong", "length", length, "limit", Content.MAX_CAPTION);
            return true;
        }
        if (!caption.isEmpty() && !validText(conversation, caption)) {
            return true;
        }
        AnnouncementService.AttachOutcome outcome = announcements.attach(id(state), variant, attachment.media(),
                caption, albumGoesOn);
        switch (outcome) {
            case ATTACHED -> {
                if (!albumGoesOn) {
                    askLanguages(conversation, id(state), attachment.albumId().map(album -> "|" + album + "|" + variant)
                            .orElse(""));
                }
            }
            case ATTACHED_WITHOUT_CAPTION -> conversation.say("announce.album.captionLeftOut", "limit",
                    Content.MAX_CAPTION);
            case ALBUM_FULL -> conversation.say("announce.album.full", "limit", Content.MAX_ALBUM);
            case NOT_DRAFT -> noLongerADraft(conversation, id(state));
        }
        return true;
    }

    /**
     * The text typed for a shared draft that a colleague sent or cancelled meanwhile: said, not dropped in silence,
     * and the steps of that draft end.
     */
    private void noLongerADraft(Conversation conversation, long id) {
        states.clear(conversation.user().telegramId());
        announcements.find(id).ifPresentOrElse(
                announcement -> conversation.say(notDraft(announcement), "id", id),
                () -> conversation.say("announce.notDraft", "id", id));
    }

    private static String afterText(String variant) {
        return "|" + AFTER_TEXT + "|" + variant;
    }

    /** Whether the review step follows a text long enough to be the first of the parts an app split it into. */
    private boolean continuesText(ConversationState state) {
        String[] review = state.data().split("\\|", 3);
        // After the one-line form the text is as typed, tags by hand included, which the app counts too.
        boolean oneLine = review.length == 3 && review[1].equals(AFTER_LINE);
        return review.length == 3 && (review[1].equals(AFTER_TEXT) || oneLine)
                && announcements.find(id(state))
                .flatMap(draft -> Optional.ofNullable(draft.texts().get(review[2])))
                .filter(text -> (oneLine ? text.length() : HtmlText.visibleLength(text)) >= CONTINUED_FROM)
                .isPresent();
    }

    /**
     * Appends the next part to the text it continues, and says so: it may have been meant as a new text. After the
     * one-line form, the part is read as that form reads text (tags typed by hand) and the preview shown again.
     */
    private void continueText(Conversation conversation, ConversationState state, FormattedText typed) {
        String[] review = state.data().split("\\|", 3);
        String variant = review[2];
        boolean oneLine = review[1].equals(AFTER_LINE);
        String part = oneLine ? typed.text().strip() : typed.html().strip();
        String html = announcements.find(id(state)).map(draft -> draft.texts().get(variant)).orElse("") + "\n" + part;
        if (!validText(conversation, html)) {
            return;
        }
        if (!announcements.setText(id(state), variant, html)) {
            noLongerADraft(conversation, id(state));
            return;
        }
        conversation.say("announce.text.continued", "length", HtmlText.visibleLength(html),
                "parts", HtmlText.split(html, HtmlText.MAX_MESSAGE).size());
        if (oneLine) {
            preview(conversation, id(state));
        } else {
            askLanguages(conversation, id(state), afterText(variant));
        }
    }

    private static String variant(String step) {
        return step.startsWith(STEP_TRANSLATION) ? step.substring(STEP_TRANSLATION.length()) : Announcement.FALLBACK;
    }

    // ---- buttons: ann:<action>:<payload> --------------------------------------------------------------------

    @Override
    public void handle(Conversation conversation, ButtonContext press, String payload) {
        String[] parts = payload.split(":", 3);
        Translator translator = conversation.translator();
        String action = parts[0];
        if (action.equals("a") && parts.length >= 2) {
            conversation.answer(press);
            // While a draft whose audience emptied waits for another, an audience button gives it that one.
            Optional<Long> stranded = states.find(conversation.user().telegramId())
                    .filter(state -> state.flow().equals(FLOW) && state.step().equals(STEP_AUDIENCE)
                            && !state.data().isEmpty())
                    .map(AnnounceFlow::id);
            audience(conversation, payload.substring(2)).ifPresent(terms -> stranded.ifPresentOrElse(
                    id -> reaudience(conversation, id, terms), () -> startDraft(conversation, terms)));
            return;
        }
        Optional<Announcement> draft = parts.length >= 2 ? parseId(parts[1]).flatMap(announcements::find) : Optional.empty();
        if (draft.isEmpty()) {
            conversation.answer(press, translator.text("button.expired"));
            return;
        }
        long id = draft.get().id();
        switch (action) {
            case "l" -> {
                if (parts.length < 3 || !catalog.supports(parts[2]) || draft.get().status() != Announcement.Status.DRAFT) {
                    conversation.answer(press, translator.text("button.expired"));
                    return;
                }
                conversation.answer(press);
                states.set(conversation.user().telegramId(), FLOW, STEP_TRANSLATION + parts[2], String.valueOf(id));
                conversation.say("announce.translation.prompt",
                        "language", catalog.translator(parts[2]).text("language.name"));
            }
            case "p" -> {
                if (draft.get().status() != Announcement.Status.DRAFT
                        && draft.get().status() != Announcement.Status.SCHEDULED) {
                    // An old preview button of one sent or cancelled: a summary would offer to send it again.
                    conversation.answer(press, translator.text("announce.notDraft", "id", id));
                    return;
                }
                conversation.answer(press);
                endStepsOf(conversation, id);
                preview(conversation, id);
            }
            case "s" -> {
                endStepsOf(conversation, id);
                Optional<Announcement> started = reporter.startNow(id, conversation.user().telegramId(), translator);
                // Sent now from an older preview of a scheduled one: its trigger would find nothing left to do.
                started.ifPresent(announcement -> reporter.unschedule(id));
                conversation.answer(press, translator.text(started.isPresent() ? "announce.started" : "announce.notDraft",
                        "id", id));
                if (started.isEmpty()) {
                    conversation.say("announce.notDraft", "id", id);
                }
            }
            case "n" -> togglePin(conversation, press, draft.get());
            case "t" -> {
                if (draft.get().status() != Announcement.Status.DRAFT) {
                    conversation.answer(press, translator.text(notDraft(draft.get()), "id", id));
                    return;
                }
                conversation.answer(press);
                states.set(conversation.user().telegramId(), FLOW, STEP_SCHEDULE, String.valueOf(id));
                ZoneId zone = eventViews.zoneOf(conversation.user());
                conversation.say("announce.schedule.prompt", "zone", ZoneNames.city(translator, zone),
                        "example", TYPED_TIME.format(LocalDateTime.ofInstant(clock.instant(), zone).plusHours(1)));
            }
            case "x" -> {
                endStepsOf(conversation, id);
                AnnouncementService.CancelOutcome outcome = announcements.cancel(id, conversation.user().telegramId());
                if (outcome == AnnouncementService.CancelOutcome.CANCELLED) {
                    reporter.unschedule(id);
                }
                if (outcome == AnnouncementService.CancelOutcome.ALREADY_CANCELLED) {
                    // A second press, or a colleague's: it is cancelled, as they wanted; nothing new to say in chat.
                    conversation.answer(press, translator.text("announce.cancelled", "id", id));
                    return;
                }
                String key = outcome == AnnouncementService.CancelOutcome.CANCELLED ? "announce.cancelled"
                        : "announce.alreadyStarted";
                conversation.answer(press, translator.text(key, "id", id));
                conversation.say(key, "id", id);
            }
            default -> conversation.answer(press, translator.text("button.expired"));
        }
    }

    /** "Cancel #N" for a scheduled announcement, wherever it is offered (the list, a refused change). */
    static Button cancelScheduled(Translator translator, long id) {
        return new Button(translator.text("announcements.button.cancel", "id", id), "ann:x:" + id);
    }

    // ---- steps ---------------------------------------------------------------------------------------------

    private void askAudience(Conversation conversation) {
        Translator translator = conversation.translator();
        states.set(conversation.user().telegramId(), FLOW, STEP_AUDIENCE, "");
        List<Button> roles = new ArrayList<>();
        for (String term : List.of("all", "delegates", "supporters", "staff")) {
            String label = "audience." + (term.equals("all") ? "all" : term.replaceAll("s$", ""));
            roles.add(new Button(translator.text(label), "ann:a:" + term));
        }
        // The short role names two to a row; a cohort's name and the groups a row each, since a phone cuts a
        // button of half the width after a dozen letters ("Десятый набор волонт…").
        List<List<Button>> rows = new ArrayList<>(Keyboard.grid(roles, 2).rows());
        for (CohortSummary summary : cohorts.summaries().stream().limit(4).toList()) {
            rows.add(List.of(new Button(summary.cohort().name().in(translator.locale(), catalog.defaultLocale()),
                    "ann:a:cohort:" + summary.cohort().number())));
        }
        if (!audiences.groupsOf(AudienceTerms.parse("groups").terms().orElseThrow()).isEmpty()) {
            rows.add(List.of(new Button(translator.text("audience.button.groups"), "ann:a:groups")));
        }
        conversation.reply(translator.text("announce.audience.prompt"), new Keyboard(rows));
    }

    private void startDraft(Conversation conversation, AudienceTerms terms) {
        Announcement draft = announcements.createDraft(conversation.user().telegramId(), terms, Optional.empty());
        states.set(conversation.user().telegramId(), FLOW, STEP_TEXT, String.valueOf(draft.id()));
        List<Recipient> recipients = audiences.resolve(terms);
        // Telegram gives groups negative chat ids: counted apart, so one group is not "1 person".
        long groups = recipients.stream().filter(recipient -> recipient.userId() < 0).count();
        conversation.say("announce.text.prompt", "audience", views.audience(terms, conversation.translator()),
                "count", recipients.size() - groups, "groups", groups);
    }

    /** A draft whose audience matched nobody gets the one typed now, and its preview. */
    private void reaudience(Conversation conversation, long id, AudienceTerms terms) {
        if (!announcements.setAudience(id, terms)) {
            noLongerADraft(conversation, id);
            return;
        }
        states.clear(conversation.user().telegramId());
        preview(conversation, id);
    }

    /** @param album "|album id|variant" while the items of an album may still arrive, else empty */
    private void askLanguages(Conversation conversation, long id, String album) {
        Announcement draft = announcements.find(id).orElseThrow();
        Translator translator = conversation.translator();
        states.set(conversation.user().telegramId(), FLOW, STEP_REVIEW, id + album);
        List<Button> buttons = new ArrayList<>();
        for (String locale : catalog.locales()) {
            // The staff member's own language too: their first text may be in another one (English, for everyone).
            if (!draft.variants().contains(locale)) {
                buttons.add(new Button(translator.text("announce.button.addLanguage",
                        "language", catalog.translator(locale).text("language.name")), "ann:l:" + id + ":" + locale));
            }
        }
        buttons.add(new Button(translator.text("announce.button.preview"), "ann:p:" + id));
        conversation.reply(translator.text("announce.languages.prompt", "languages", languages(draft, translator)),
                Keyboard.grid(buttons, 3));
    }

    /** The texts exactly as recipients will get them, then the figures and the three buttons. */
    private void preview(Conversation conversation, long id) {
        Announcement draft = announcements.find(id).orElseThrow();
        Translator translator = conversation.translator();
        List<Recipient> recipients = announcements.recipients(draft);
        AudienceTerms terms = AudienceTerms.parse(draft.audience()).terms().orElseThrow();
        if (recipients.isEmpty()) {
            // Its audience emptied since it was chosen: the next audience typed is this draft's, texts kept.
            states.set(conversation.user().telegramId(), FLOW, STEP_AUDIENCE, String.valueOf(id));
            conversation.say("announce.audience.empty", "audience", views.audience(terms, translator));
            return;
        }
        for (String variant : draft.variants()) {
            List<OutgoingMessage> parts = draft.content(variant).messages(conversation.chat().chatId());
            conversation.say("announce.preview.header", "language", languageName(variant, translator),
                    "parts", parts.size());
            parts.forEach(conversation::send);
        }
        conversation.reply(summary(conversation, draft, terms, recipients.size()), summaryButtons(draft, terms,
                translator));
    }

    /**
     * The preview's figures. When the audience has groups, whether it is pinned there, and in how many of them the
     * bot is known to lack the right: said before sending, not found out after.
     */
    private String summary(Conversation conversation, Announcement draft, AudienceTerms terms, int recipients) {
        Translator translator = conversation.translator();
        int messages = 0;
        for (String variant : draft.variants()) {
            messages = Math.max(messages, draft.content(variant).messages(conversation.chat().chatId()).size());
        }
        StringBuilder text = new StringBuilder(translator.text("announce.preview.summary", "id", draft.id(),
                "audience", views.audience(terms, translator), "count", recipients,
                "parts", messages, "languages", languages(draft, translator)));
        List<BotGroup> groups = terms.includesGroups() ? audiences.groupsOf(terms) : List.of();
        if (!groups.isEmpty()) {
            text.append('\n').append(translator.text("announce.pin.choice", "pin", draft.pinInGroups() ? "yes" : "no",
                    "groups", groups.size()));
            List<BotGroup> noRight = groups.stream().filter(BotGroup::knownUnableToPin).toList();
            if (!noRight.isEmpty()) {
                // Named, so staff know where to make the bot an administrator; titles are escaped by the translator.
                text.append('\n').append(translator.text("announce.pin.noRight", "noRight", noRight.size(),
                        "names", noRight.stream().map(BotGroup::name).collect(Collectors.joining(", "))));
            }
        }
        return text.append('\n').append(reporter.authorLine(draft, translator)).toString();
    }

    /** Send now, Schedule, Cancel; and the choice to pin when the audience has groups (off until pressed). */
    private Keyboard summaryButtons(Announcement draft, AudienceTerms terms, Translator translator) {
        long id = draft.id();
        List<List<Button>> rows = new ArrayList<>();
        rows.add(views.draftButtons(id, translator));
        if (terms.includesGroups() && !audiences.groupsOf(terms).isEmpty()) {
            rows.add(List.of(new Button(translator.text("announce.button.pin",
                    "pin", draft.pinInGroups() ? "yes" : "no"), "ann:n:" + id)));
        }
        return new Keyboard(rows);
    }

    /** Why a button of an older preview can no longer change it: scheduled since, or sent or cancelled. */
    private static String notDraft(Announcement announcement) {
        return announcement.status() == Announcement.Status.SCHEDULED ? "announce.alreadyScheduled"
                : "announce.notDraft";
    }

    /** Pin in groups, or not: toggled while it is a draft, and the summary redrawn in place. */
    private void togglePin(Conversation conversation, ButtonContext press, Announcement draft) {
        Translator translator = conversation.translator();
        if (draft.status() != Announcement.Status.DRAFT
                || !announcements.pinInGroups(draft.id(), !draft.pinInGroups(), conversation.user().telegramId())) {
            conversation.answer(press, translator.text(notDraft(draft), "id", draft.id()));
            return;
        }
        conversation.answer(press);
        Announcement toggled = announcements.find(draft.id()).orElseThrow();
        AudienceTerms terms = AudienceTerms.parse(toggled.audience()).terms().orElseThrow();
        conversation.redraw(press, summary(conversation, toggled, terms, announcements.recipients(toggled).size()),
                summaryButtons(toggled, terms, translator));
    }

    /** "2026-12-01 09:00", or with a trailing "!" for urgent: then quiet hours do not hold it back. */
    private void schedule(Conversation conversation, long id, String typed) {
        ZoneId zone = eventViews.zoneOf(conversation.user());
        boolean urgent = typed.endsWith("!");
        String time = urgent ? typed.substring(0, typed.length() - 1).strip() : typed;
        Instant at;
        try {
            at = LocalDateTime.parse(time, TYPED_TIME).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            conversation.say("announce.schedule.invalid", "example",
                    TYPED_TIME.format(LocalDateTime.ofInstant(clock.instant(), zone).plusHours(1)));
            return;
        }
        if (!at.isAfter(clock.instant())) {
            conversation.say("announce.schedule.past");
            return;
        }
        if (!announcements.schedule(id, at, urgent, conversation.user().telegramId())) {
            // A colleague sent, scheduled or cancelled it meanwhile: said as it is.
            noLongerADraft(conversation, id);
            return;
        }
        states.clear(conversation.user().telegramId());
        reporter.scheduleStart(id, at);
        Translator translator = conversation.translator();
        conversation.say("announce.scheduled", "id", id, "date", DateTimes.date(at, zone, translator.locale()),
                "time", DateTimes.time(at, zone, translator.locale()), "zone", ZoneNames.city(translator, zone),
                "urgent", urgent ? "yes" : "no");
        if (!urgent) {
            // 09:00 in Seoul is 05:00 in Tashkent: say so now, while it can still be marked urgent or moved.
            List<Recipient> recipients = announcements.find(id).map(announcements::recipients).orElse(List.of());
            long quiet = recipients.stream().filter(recipient -> recipient.quietUntil(at).isPresent()).count();
            if (quiet > 0) {
                conversation.say("announce.scheduled.quiet", "quiet", quiet, "total", recipients.size());
            }
        }
    }

    // ---- checks --------------------------------------------------------------------------------------------

    private Optional<AudienceTerms> audience(Conversation conversation, String text) {
        AudienceTerms.Parsed parsed = AudienceTerms.parse(text);
        if (parsed.terms().isEmpty()) {
            conversation.say("announce.audience.unknown", "term", LanguagePicker.truncate(parsed.unknownTerm().orElse(text)));
            return Optional.empty();
        }
        AudienceTerms terms = parsed.terms().get();
        List<String> unknownEvents = audiences.unknownEvents(terms);
        if (!unknownEvents.isEmpty()) {
            conversation.say("announce.audience.unknownEvent", "key", unknownEvents.get(0));
            return Optional.empty();
        }
        List<Integer> unknownCohorts = audiences.unknownCohorts(terms);
        if (!unknownCohorts.isEmpty()) {
            conversation.say("announce.audience.unknownCohort", "number", unknownCohorts.get(0));
            return Optional.empty();
        }
        List<Long> unknownGroups = audiences.unknownGroups(terms);
        if (!unknownGroups.isEmpty()) {
            conversation.say("announce.audience.unknownGroup", "chat", String.valueOf(unknownGroups.get(0)));
            return Optional.empty();
        }
        Set<String> languages = terms.languages();
        Optional<String> unsupported = languages.stream().filter(code -> !catalog.supports(code)).findFirst();
        if (unsupported.isPresent()) {
            conversation.say("announce.audience.unknown", "term", "lang:" + unsupported.get());
            return Optional.empty();
        }
        if (audiences.resolve(terms).isEmpty()) {
            conversation.say("announce.audience.empty", "audience", views.audience(terms, conversation.translator()));
            return Optional.empty();
        }
        return Optional.of(terms);
    }

    /** Says what is wrong with a text, if anything; shared with the edit of a sent announcement. */
    static boolean validText(Conversation conversation, String text) {
        if (text.isBlank()) {
            conversation.say("announce.text.empty");
            return false;
        }
        Optional<HtmlText.Problem> problem = HtmlText.check(text.strip());
        problem.ifPresent(found -> conversation.say("announce.html." + found.kind().name().toLowerCase(Locale.ROOT),
                "detail", found.detail(), "max", HtmlText.MAX_OPEN_TAGS));
        return problem.isEmpty();
    }

    private String languages(Announcement draft, Translator translator) {
        List<String> names = new ArrayList<>();
        for (String variant : draft.variants()) {
            names.add(languageName(variant, translator));
        }
        return String.join(", ", names);
    }

    private String languageName(String locale, Translator translator) {
        return languageName(locale, translator, catalog);
    }

    /** A variant's name for staff: its language, or the first text's, which also goes to everyone else. */
    static String languageName(String locale, Translator translator, MessageCatalog catalog) {
        return locale.equals(Announcement.FALLBACK)
                ? translator.text("announce.language.everyone")
                : catalog.translator(locale).text("language.name");
    }

    private static long id(ConversationState state) {
        int album = state.data().indexOf('|');
        return Long.parseLong(album < 0 ? state.data() : state.data().substring(0, album));
    }

    private static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Ends the presser's step (a text or time being asked for) when it belongs to announcement {@code id}: a button
     * of another announcement, in an older message, must not strand the draft they are writing.
     */
    private void endStepsOf(Conversation conversation, long id) {
        long user = conversation.user().telegramId();
        // The review step's data may go on with "|album id|variant".
        states.find(user).filter(state -> state.flow().equals(FLOW)
                        && state.data().split("\\|", 2)[0].equals(String.valueOf(id)))
                .ifPresent(state -> states.clear(user));
    }
}
