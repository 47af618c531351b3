package org.forumgateway.bot;

import org.forumgateway.announcements.Announcement;
import org.forumgateway.announcements.AnnouncementChanges;
import org.forumgateway.announcements.AnnouncementService;
import org.forumgateway.announcements.Content;
import org.forumgateway.announcements.HtmlText;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.FormattedText;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.conversation.ConversationState;
import org.forumgateway.conversation.ConversationStates;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;

import java.util.List;
import java.util.Optional;

/**
 * {@code /announcements edit <id>} and {@code /announcements delete <id>} (staff): the new text of each language,
 * formatted as typed, then the edit in every chat that got it; or a confirmation, then the recall. Every step
 * re-checks the role; buttons carry the announcement's id and are checked against the database.
 */
final class AnnouncementChangeFlow implements ButtonHandler {
    static final String FLOW = "announce-change";
    private static final String STEP_EDIT = "edit:";

    private final AnnouncementService announcements;
    private final AnnouncementChanges changes;
    private final ConversationStates states;
    private final MessageCatalog catalog;

    AnnouncementChangeFlow(AnnouncementService announcements, ConversationStates states, MessageCatalog catalog) {
        this.announcements = announcements;
        this.changes = announcements.changes();
        this.states = states;
        this.catalog = catalog;
    }

    @Override
    public String prefix() {
        return "annc";
    }

    @Override
    public Role minimumRole() {
        return Role.STAFF;
    }

    /** {@code /announcements edit <id>}: asks for the new text of the first language. */
    void edit(Conversation conversation, String idText) {
        Optional<Long> id = ready(conversation, idText, AnnouncementChanges.Kind.EDIT);
        if (id.isPresent()) {
            askNext(conversation, changes.draftEdit(id.get(), conversation.user().telegramId()).id());
        }
    }

    /** {@code /announcements delete <id>}: asks to confirm the recall. */
    void delete(Conversation conversation, String idText) {
        Optional<Long> id = ready(conversation, idText, AnnouncementChanges.Kind.DELETE);
        if (id.isEmpty()) {
            return;
        }
        Translator translator = conversation.translator();
        conversation.reply(translator.text("announcements.delete.confirm", "id", id.get(),
                        "count", changes.chatsReached(id.get())),
                new Keyboard(List.of(List.of(
                        new Button(translator.text("announcements.button.recall"), "annc:d:" + id.get()),
                        new Button(translator.text("announcements.button.keep"), "annc:k:" + id.get())))));
    }

    private Optional<Long> ready(Conversation conversation, String idText, AnnouncementChanges.Kind kind) {
        Optional<Long> id = parseId(idText.strip().replaceFirst("^#", ""));
        if (id.isEmpty()) {
            conversation.say("announcements.change.usage");
            return Optional.empty();
        }
        AnnouncementChanges.Readiness readiness = changes.readiness(id.get(), kind);
        if (readiness != AnnouncementChanges.Readiness.READY) {
            String refusal = conversation.translator().text(refusal(readiness), "id", id.get());
            // One still to go out can be cancelled from here, wherever it stands in the list.
            boolean scheduled = announcements.find(id.get())
                    .filter(announcement -> announcement.status() == Announcement.Status.SCHEDULED).isPresent();
            conversation.reply(refusal, scheduled
                    ? new Keyboard(List.of(List.of(AnnounceFlow.cancelScheduled(conversation.translator(), id.get()))))
                    : Keyboard.NONE);
            return Optional.empty();
        }
        return id;
    }

    private static String refusal(AnnouncementChanges.Readiness readiness) {
        return switch (readiness) {
            case NOT_FOUND -> "announcements.change.notFound";
            case STILL_SENDING -> "announcements.change.stillSending";
            case RECALLED -> "announcements.change.recalled";
            default -> "announcements.change.notSent";
        };
    }

    /** Asks for the next language still without a new text, or starts the edit when none is left. */
    private void askNext(Conversation conversation, long changeId) {
        AnnouncementChanges.Change change = changes.find(changeId).orElseThrow();
        Announcement announcement = announcements.find(change.announcementId()).orElseThrow();
        List<String> variants = List.copyOf(announcement.variants());
        Optional<String> next = variants.stream().filter(variant -> !change.texts().containsKey(variant)).findFirst();
        long user = conversation.user().telegramId();
        Translator translator = conversation.translator();
        if (next.isEmpty()) {
            states.clear(user);
            OutgoingMessage.Send progress = new OutgoingMessage.Send(conversation.chat().chatId(),
                    translator.text("announcements.edit.started", "id", announcement.id()), Keyboard.NONE);
            if (changes.startEdit(changeId, progress).isEmpty()) {
                // Say why, as at the start: most likely someone recalled it while the texts were being typed.
                conversation.say(refusal(changes.readiness(announcement.id(), AnnouncementChanges.Kind.EDIT)),
                        "id", announcement.id());
            }
            return;
        }
        states.set(user, FLOW, STEP_EDIT + next.get(), String.valueOf(changeId));
        conversation.say("announcements.edit.prompt", "id", announcement.id(),
                "language", languageName(next.get(), translator), "number", variants.indexOf(next.get()) + 1,
                "count", variants.size());
        // The text as it reads now, with a button that keeps it: fixing one language must not mean retyping the
        // others, nor giving a caption to a photo sent without one.
        String current = announcement.content(next.get()).html();
        Keyboard keep = new Keyboard(List.of(List.of(new Button(translator.text("announcements.edit.keep"),
                "annc:s:" + changeId + ":" + next.get()))));
        if (current.isEmpty()) {
            conversation.reply(translator.text("announcements.edit.noText"), keep);
            return;
        }
        // A long text as it went out, message by message: one reply over Telegram's limit would be refused.
        List<String> parts = HtmlText.split(current, HtmlText.MAX_MESSAGE);
        for (int i = 0; i < parts.size() - 1; i++) {
            conversation.reply(parts.get(i), Keyboard.NONE);
        }
        conversation.reply(parts.get(parts.size() - 1), keep);
    }

    /** "Keep this text" under the language the edit waits for: that language stays as it is. */
    private void keep(Conversation conversation, ButtonContext press, String payload) {
        String[] parts = payload.split(":", 2);
        long user = conversation.user().telegramId();
        Optional<ConversationState> state = states.find(user);
        boolean current = parts.length == 2 && state.isPresent() && state.get().flow().equals(FLOW)
                && state.get().step().equals(STEP_EDIT + parts[1]) && changeId(state.get()).equals(parts[0]);
        Optional<AnnouncementChanges.Change> change = current ? parseId(parts[0]).flatMap(changes::find)
                : Optional.empty();
        Optional<Announcement> announcement = change.flatMap(found -> announcements.find(found.announcementId()));
        if (announcement.isEmpty()) {
            conversation.answer(press, conversation.translator().text("button.expired"));
            return;
        }
        conversation.answer(press);
        changes.setText(change.get().id(), parts[1], announcement.get().content(parts[1]).html());
        askNext(conversation, change.get().id());
    }

    /** "That is the whole text" under a long new text: what was received for the language is its new text. */
    private void takeWhole(Conversation conversation, ButtonContext press, String payload) {
        String[] parts = payload.split(":", 2);
        Optional<ConversationState> state = states.find(conversation.user().telegramId());
        boolean current = parts.length == 2 && state.isPresent() && state.get().flow().equals(FLOW)
                && state.get().step().equals(STEP_EDIT + parts[1]) && changeId(state.get()).equals(parts[0])
                && !receivedSoFar(state.get()).isEmpty();
        Optional<AnnouncementChanges.Change> change = current ? parseId(parts[0]).flatMap(changes::find)
                : Optional.empty();
        if (change.isEmpty()) {
            conversation.answer(press, conversation.translator().text("button.expired"));
            return;
        }
        conversation.answer(press);
        changes.setText(change.get().id(), parts[1], receivedSoFar(state.get()));
        askNext(conversation, change.get().id());
    }

    /** The new text of the language the step waits for. */
    boolean onText(Conversation conversation, ConversationState state, FormattedText typed) {
        long user = conversation.user().telegramId();
        if (!conversation.user().role().atLeast(Role.STAFF) || !state.step().startsWith(STEP_EDIT)) {
            states.clear(user);
            return false;
        }
        Optional<AnnouncementChanges.Change> change = parseId(changeId(state)).flatMap(changes::find);
        Optional<Announcement> announcement = change.flatMap(found -> announcements.find(found.announcementId()));
        if (announcement.isEmpty()) {
            states.clear(user);
            return false;
        }
        String variant = state.step().substring(STEP_EDIT.length());
        String part = typed.html().strip();
        String received = receivedSoFar(state);
        String html = received.isEmpty() ? part : received + "\n" + part;
        if (!AnnounceFlow.validText(conversation, html)) {
            return true;
        }
        Content before = announcement.get().content(variant);
        Content after = new Content(html, before.media());
        if (after.captionLength().isPresent()) {
            conversation.say("announce.caption.tooLong", "length", after.captionLength().get(),
                    "limit", Content.MAX_CAPTION);
            return true;
        }
        boolean mayGoOn = HtmlText.visibleLength(part) >= AnnounceFlow.CONTINUED_FROM;
        if (!after.hasMedia() && after.parts() < before.parts() && mayGoOn) {
            // The first of the messages an app split a long new text into: the rest follows.
            states.set(user, FLOW, state.step(), change.get().id() + "|" + html);
            conversation.say("announcements.edit.more", "length", HtmlText.visibleLength(html),
                    "parts", before.parts());
            return true;
        }
        if (!after.hasMedia() && after.parts() != before.parts()) {
            states.set(user, FLOW, state.step(), String.valueOf(change.get().id())); // typed again from the start
            conversation.say("announcements.edit.parts", "parts", after.parts(), "sent", before.parts(),
                    "limit", HtmlText.MAX_MESSAGE);
            return true;
        }
        if (!after.hasMedia() && mayGoOn) {
            // As many messages as the sent one, the last nearly full: the app may have split off more. Taking it now
            // would cut the text short, and its rest would be read as the next language's.
            states.set(user, FLOW, state.step(), change.get().id() + "|" + html);
            Translator translator = conversation.translator();
            conversation.reply(translator.text("announcements.edit.whole", "length", HtmlText.visibleLength(html),
                    "parts", after.parts()), new Keyboard(List.of(List.of(new Button(
                            translator.text("announcements.button.whole"),
                            "annc:w:" + change.get().id() + ":" + variant)))));
            return true;
        }
        changes.setText(change.get().id(), variant, html);
        askNext(conversation, change.get().id());
        return true;
    }

    // ---- buttons: annc:d:<id> recalls, annc:k:<id> keeps it, annc:s:<change id>:<language> keeps a text, ---
    // ---- annc:w:<change id>:<language> takes the long text received as the whole new one ----------------------

    @Override
    public void handle(Conversation conversation, ButtonContext press, String payload) {
        String[] parts = payload.split(":", 2);
        Translator translator = conversation.translator();
        if (parts[0].equals("s") && parts.length == 2) {
            keep(conversation, press, parts[1]);
            return;
        }
        if (parts[0].equals("w") && parts.length == 2) {
            takeWhole(conversation, press, parts[1]);
            return;
        }
        Optional<Long> id = parts.length == 2 ? parseId(parts[1]) : Optional.empty();
        if (id.isEmpty() || announcements.find(id.get()).isEmpty()) {
            conversation.answer(press, translator.text("button.expired"));
            return;
        }
        switch (parts[0]) {
            case "d" -> {
                OutgoingMessage.Send progress = new OutgoingMessage.Send(conversation.chat().chatId(),
                        translator.text("announcements.delete.started", "id", id.get()), Keyboard.NONE);
                AnnouncementChanges.Readiness readiness = changes.readiness(id.get(), AnnouncementChanges.Kind.DELETE);
                boolean started = readiness == AnnouncementChanges.Readiness.READY
                        && changes.recall(id.get(), conversation.user().telegramId(), progress).isPresent();
                conversation.answer(press);
                if (started) {
                    conversation.redraw(press, translator.text("announcements.delete.confirmed", "id", id.get()),
                            Keyboard.NONE);
                } else {
                    // Ready a moment ago, refused now: a colleague's recall won the race. Asked again, it says so.
                    conversation.say(refusal(readiness == AnnouncementChanges.Readiness.READY
                            ? changes.readiness(id.get(), AnnouncementChanges.Kind.DELETE) : readiness), "id", id.get());
                }
            }
            case "k" -> {
                conversation.answer(press);
                // A colleague may have recalled it meanwhile: then it does not stay, and saying so would mislead.
                String key = changes.recalled(id.get()) ? "announcements.change.recalled" : "announcements.delete.kept";
                conversation.redraw(press, translator.text(key, "id", id.get()), Keyboard.NONE);
            }
            default -> conversation.answer(press, translator.text("button.expired"));
        }
    }

    private String languageName(String variant, Translator translator) {
        return AnnounceFlow.languageName(variant, translator, catalog);
    }

    /** The change a step belongs to: its data is the change's id, then the new text received so far, if any. */
    private static String changeId(ConversationState state) {
        int bar = state.data().indexOf('|');
        return bar < 0 ? state.data() : state.data().substring(0, bar);
    }

    private static String receivedSoFar(ConversationState state) {
        int bar = state.data().indexOf('|');
        return bar < 0 ? "" : state.data().substring(bar + 1);
    }

    private static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
