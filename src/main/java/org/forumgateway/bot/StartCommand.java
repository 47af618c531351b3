package org.forumgateway.bot;

import org.forumgateway.api.PersonLinks;
import org.forumgateway.cohorts.CohortGreetings;
import org.forumgateway.i18n.Translator;
import org.forumgateway.invites.Invite;
import org.forumgateway.invites.InviteService;
import org.forumgateway.invites.RedeemOutcome;
import org.forumgateway.users.Role;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * /start: a greeting, then the language and time-zone pickers. Deep links arrive as its argument:
 * {@code event-<key>} opens a card, {@code inv-<code>} applies an invite, {@code lnk-<code>} links the account to another system's id.
 */
final class StartCommand implements CommandHandler {
    private static final String EVENT_PREFIX = "event-";
    /**
     * The payload of the link that points from a group to the private chat: it greets as a plain /start does. A link
     * without a payload would open the chat and send nothing to someone who has started the bot before.
     */
    static final String GREETING = "start";
    /** Telegram allows A-Z, a-z, 0-9, _ and - in start payloads, at most 64 characters. */
    private static final Pattern PAYLOAD = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final LanguagePicker languages;
    private final TimeZonePicker timeZones;
    private final EventCards cards;
    private final InviteService invites;
    private final CohortNames cohortNames;
    private final PersonLinks personLinks;

    StartCommand(LanguagePicker languages, TimeZonePicker timeZones, EventCards cards, InviteService invites,
                 CohortNames cohortNames, PersonLinks personLinks) {
        this.languages = languages;
        this.timeZones = timeZones;
        this.cards = cards;
        this.invites = invites;
        this.cohortNames = cohortNames;
        this.personLinks = personLinks;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("start", Role.GUEST);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        String payload = arguments.strip();
        if (payload.isEmpty() || payload.equals(GREETING)) {
            greet(conversation);
            return;
        }
        if (!PAYLOAD.matcher(payload).matches()) {
            conversation.say("start.badLink");
        } else if (payload.startsWith(EVENT_PREFIX)) {
            cards.open(conversation, payload.substring(EVENT_PREFIX.length()).toLowerCase(Locale.ROOT));
        } else if (payload.startsWith(InviteCommand.PAYLOAD_PREFIX)) {
            redeem(conversation, payload.substring(InviteCommand.PAYLOAD_PREFIX.length()));
        } else if (payload.startsWith(PersonLinks.PAYLOAD_PREFIX)) {
            link(conversation, payload.substring(PersonLinks.PAYLOAD_PREFIX.length()));
        } else {
            conversation.say("start.badLink");
        }
        offerPickersNotUsed(conversation);
    }

    /**
     * After a deep link's own answer (even "this link is not valid"), the pickers the person has not used yet:
     * someone whose first contact is an invite or an event link gets both, as a plain /start would, and would otherwise read times in the default zone.
     */
    private void offerPickersNotUsed(Conversation conversation) {
        if (conversation.user().locale().isEmpty()) {
            languages.show(conversation);
        }
        if (conversation.user().timeZone().isEmpty()) {
            timeZones.show(conversation);
        }
    }

    /** A link from another system (POST /v1/links): the account is linked to that system's id for the person. */
    private void link(Conversation conversation, String code) {
        switch (personLinks.redeem(code, conversation.user())) {
            case LINKED -> conversation.say("link.linked");
            case UNKNOWN -> conversation.say("link.unknown");
            case EXPIRED -> conversation.say("link.expired");
            case USED -> conversation.say("link.used");
            case REPLACED -> conversation.say("link.replaced");
        }
    }

    private void greet(Conversation conversation) {
        conversation.say("start.greeting", "name", conversation.user().firstName());
        languages.show(conversation);
        timeZones.show(conversation);
    }

    private void redeem(Conversation conversation, String code) {
        // The answer commits with the invite: it may be the cohort's welcome, which the redeem records as sent.
        conversation.together(() -> answer(conversation, invites.redeem(code, conversation.user())));
    }

    private void answer(Conversation conversation, RedeemOutcome outcome) {
        Translator translator = conversation.translator();
        switch (outcome.result()) {
            case APPLIED -> {
                Invite invite = outcome.invite().orElseThrow();
                if (invite.role() == Role.DELEGATE) {
                    conversation.say("invite.applied.delegate", "country",
                            InviteCommand.countryName(invite.country().orElseThrow(), translator));
                } else {
                    String cohort = cohortNames.name(invite.cohort().orElseThrow(), translator).orElse("");
                    outcome.joinedRunning().ifPresentOrElse(
                            running -> conversation.reply(CohortGreetings.welcome(running, cohort, translator)),
                            () -> conversation.say("invite.applied.supporter", "cohort", cohort));
                }
            }
            case UNKNOWN -> conversation.say("invite.unknown");
            case EXPIRED -> conversation.say("invite.expired");
            case USED_BEFORE -> conversation.say("invite.usedBefore");
            case USED_UP -> conversation.say("invite.usedUp");
            case STAFF_UNCHANGED -> conversation.say("invite.staffUnchanged");
        }
    }

    /** Cohort names in the reader's language. */
    interface CohortNames {
        Optional<String> name(int number, Translator translator);
    }
}
