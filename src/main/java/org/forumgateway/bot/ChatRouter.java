package org.forumgateway.bot;

import org.forumgateway.announcements.AnnouncementReporter;
import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.announcements.Recipient;
import org.forumgateway.chat.Incoming;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.config.AppConfig;
import org.forumgateway.delivery.ChatBlocks;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.events.ScheduleReloader;
import org.forumgateway.groups.BotGroups;
import org.forumgateway.conversation.ConversationStates;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.i18n.LanguagePreference;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns what a user did into a use case and its answer: records the user, picks their language, checks the
 * role of every command and button press, and replies. What an update writes is written in one transaction (see
 * {@link UpdateWrites}). Unexpected failures are logged once here and answered with a localized apology.
 * Thread-safe; one call per update.
 */
public final class ChatRouter {
    private static final Logger log = LoggerFactory.getLogger(ChatRouter.class);

    private final MessageCatalog catalog;
    private final UserService users;
    private final Jdbi jdbi;
    private final Notifications notifications;
    private final BotLinks links;
    private final ConversationStates conversations;
    private final AnnounceFlow announce;
    private final ChatMenus menus;
    private final AudienceResolver audiences;
    private final AnnouncementChangeFlow changes;
    private final BotGroups groups;
    private final ChatBlocks blocks;
    private final Map<String, CommandHandler> commands = new LinkedHashMap<>();
    private final Map<String, ButtonHandler> buttons = new LinkedHashMap<>();

    public ChatRouter(AppConfig config, MessageCatalog catalog, BotServices services, BotLinks links,
                      ScheduleReloader reloader, AnnouncementReporter reporter, EventViews views,
                      AnnouncementViews announcementViews, Jdbi jdbi, Notifications notifications, Clock clock) {
        this.catalog = catalog;
        this.conversations = services.conversations();
        this.users = services.users();
        this.jdbi = jdbi;
        this.notifications = notifications;
        this.links = links;
        String defaultLocale = config.defaultLocale();
        this.audiences = services.audiences();
        this.groups = services.groups();
        this.blocks = services.blocks();
        this.menus = new ChatMenus(this::commandSpecs, catalog, users, notifications, jdbi);
        LanguagePicker languages = new LanguagePicker(catalog, users, menus);
        TimeZonePicker timeZones = new TimeZonePicker(config.timeZoneChoices(), config.defaultTimeZone(), users, clock);
        EventCards cards = new EventCards(services.events(), services.rsvps(), views);
        EventList list = new EventList(services.events(), views);
        CalendarFeature calendar = new CalendarFeature(services.events(), services.calendarFeeds(), services.ics(),
                links, defaultLocale);
        CohortCommands cohorts = new CohortCommands(services.cohorts(), services.events(), views, defaultLocale);
        StartCommand.CohortNames cohortNames = (number, translator) -> services.cohorts().find(number)
                .map(cohort -> cohort.name().in(translator.locale(), defaultLocale));

        register(new StartCommand(languages, timeZones, cards, services.invites(), cohortNames,
                services.personLinks()));
        register(new HelpCommand(this::commandSpecs));
        register(list);
        register(cards);
        register(new MyEventsCommand(services.rsvps(), views));
        register(calendar);
        register(cohorts.mine());
        register(languages);
        register(timeZones);
        register(new AboutCommand(config.organization(), config.schedule().countries(), defaultLocale));
        AppConfig.Automation automation = config.automation();
        register(new QuietCommand(users, new QuietHours(automation.quietStart(), automation.quietEnd())));
        register(new DigestCommand(users));
        register(new RsvpsCommand(services.events(), services.attendance(), views, services.audit()));
        register(new InviteCommand(services.invites(), services.cohorts(), config.schedule().countries(), links, views,
                defaultLocale, services.audit()));
        register(cohorts.all());
        register(new ReloadCommand(reloader::reload, services.audit()));
        announce = new AnnounceFlow(services.announcements(), services.audiences(), announcementViews, reporter,
                services.conversations(), services.cohorts(), catalog, views, clock);
        register(announce);
        changes = new AnnouncementChangeFlow(services.announcements(), services.conversations(), catalog);
        register(new AnnouncementsCommand(services.announcements(), announcementViews, views, changes));
        register(new StaffCommand(users, services.audit(), menus, services.rsvps()));
        register(new StatsCommand(users));
        register(new ApiKeyCommand(services.apiKeys(), services.audit()));
        ForgetCommand forget = new ForgetCommand(users, services.erasure(), services.audit());
        register(forget);
        for (ButtonHandler handler : List.of(languages, timeZones, list, cards, calendar,
                new RsvpButtons(services.rsvps(), views, clock), announce, changes, forget)) {
            buttons.put(handler.prefix(), handler);
        }
    }

    private void register(CommandHandler handler) {
        commands.put(handler.spec().name(), handler);
    }

    /** Every command, in menu order. */
    public List<CommandSpec> commandSpecs() {
        return commands.values().stream().map(CommandHandler::spec).toList();
    }

    /**
     * At start, sets the menu of every staff member and administrator the bot knows where it changed (a new version
     * may bring commands): staff find theirs without writing first. Everyone else's follows at their first update
     * since the start.
     */
    public void publishStaffMenus() {
        for (Recipient staff : audiences.resolve(AudienceTerms.parse("staff").terms().orElseThrow())) {
            menus.keepCurrent(staff.userId());
        }
    }

    /**
     * Handles one update and writes what it caused in one transaction, with the user's last-seen time and
     * {@code handled}: the caller's mark that the update is handled, so an update's answers and its mark commit
     * together.
     *
     * @throws RuntimeException when that transaction cannot be written (the database refuses it)
     */
    public void handle(Incoming incoming, Consumer<Handle> handled) {
        if (incoming instanceof Incoming.MembershipChanged changed) {
            // Whoever added or removed the bot is not a user of it: nothing is recorded about them. The group's row,
            // its notice and the update's mark commit together (BotGroups' write joins this transaction).
            boolean byStaff = isStaff(changed.from().telegramId());
            jdbi.useTransaction(handle -> {
                if (groups.changed(changed.membership(), byStaff).joinedUnconfirmed()) {
                    // A group has no language of its own: it is told in that of whoever added the bot.
                    Translator translator = catalog.translatorFor(
                            new LanguagePreference(Optional.empty(), changed.from().languageCode()));
                    notifications.reply(handle, new OutgoingMessage.Send(changed.chat().chatId(),
                            translator.text("group.unconfirmed"), Keyboard.NONE));
                }
                handled.accept(handle);
            });
            log.info("The bot's place in group {} changed: member {}, may pin {}", changed.chat().chatId(),
                    changed.membership().member(), changed.membership().canPin());
            return;
        }
        if (incoming instanceof Incoming.BlockChanged change) {
            // Whoever blocks the bot is told nothing (Telegram would refuse it); their queued messages go with it.
            long userId = change.from().telegramId();
            jdbi.useTransaction(handle -> {
                if (change.blocked()) {
                    blocks.blocked(handle, userId, ChatBlocks.BLOCKED_BY_USER);
                } else {
                    users.unblocked(handle, userId);
                    menus.setAgain(handle, userId);
                }
                handled.accept(handle);
            });
            log.info("User {} {} the bot", userId, change.blocked() ? "blocked" : "unblocked");
            return;
        }
        // Only updates that reach a handler are timed: the debug line below is theirs.
        HandlerTiming timing = log.isDebugEnabled() ? new HandlerTiming() : null;
        if (!incoming.chat().isPrivate()) {
            groups.seenIn(incoming.chat().chatId());
        }
        User user = users.arrived(incoming.from());
        Translator translator = catalog.translatorFor(user.languagePreference());
        UpdateWrites writes = new UpdateWrites(jdbi, notifications, handle -> {
            users.seen(handle, user.telegramId());
            if (incoming.chat().isPrivate()) {
                menus.keepCurrentOnce(handle, user.telegramId());
            } else {
                confirmGroup(handle, incoming, user, translator);
            }
            handled.accept(handle);
        }, timing == null ? () -> { } : timing::queued);
        Conversation conversation = new Conversation(incoming.chat(), user, translator, writes);
        try {
            dispatch(incoming, conversation);
        } catch (RuntimeException e) {
            log.error("Failed to handle {} from user {}", incoming.getClass().getSimpleName(), user.telegramId(), e);
            apologize(incoming, conversation);
        }
        writes.finish();
        if (timing != null) {
            // The handler's own share of a reply's time (until its replies were queued, and until its worker was
            // free), the CPU it used, its wait for a core and for the write turn: the full-path benchmark reads them.
            log.debug("Handled {} in chat {} in {} µs (replies queued after {} µs), {} µs of CPU, {} µs waiting for "
                            + "a core, {} µs waiting for the write turn", incoming.getClass().getSimpleName(),
                    incoming.chat().chatId(), timing.elapsedMicros(), timing.queuedMicros(), timing.cpuMicros(),
                    timing.waitingForCoreMicros(), timing.waitingForWriteTurnMicros());
        }
    }

    /** Whether {@code telegramId} is staff or an administrator, known to the bot or not. */
    private boolean isStaff(long telegramId) {
        return users.isAdministrator(telegramId)
                || users.find(telegramId).filter(user -> user.role().atLeast(Role.STAFF)).isPresent();
    }

    /**
     * A command of staff in a group nobody of the staff vouched for yet confirms it, and the group is told, in the
     * update's transaction: from now on it is in the audience of every group.
     */
    private void confirmGroup(Handle handle, Incoming incoming, User user, Translator translator) {
        long chatId = incoming.chat().chatId();
        if (incoming instanceof Incoming.Command && user.role().atLeast(Role.STAFF)
                && groups.current(handle, chatId).filter(group -> !group.confirmed()).isPresent()
                && groups.confirm(chatId)) {
            notifications.reply(handle, new OutgoingMessage.Send(chatId, translator.text("group.confirmed"),
                    Keyboard.NONE));
        }
    }

    private void dispatch(Incoming incoming, Conversation conversation) {
        if (incoming instanceof Incoming.Command command) {
            onCommand(conversation, command);
        } else if (incoming instanceof Incoming.ButtonPress press) {
            onButton(conversation, press);
        } else if (incoming instanceof Incoming.Text text && text.chat().isPrivate() && continueFlow(conversation, text)) {
            return;
        } else if (incoming instanceof Incoming.Attachment attachment && attachment.chat().isPrivate()
                && continueFlow(conversation, attachment)) {
            return;
        } else if (incoming.chat().isPrivate()) {
            // Groups get no hints: the bot only speaks there when spoken to with a command.
            conversation.say(incoming instanceof Incoming.Text ? "hint.text" : "hint.unsupported");
        }
    }

    /** Text, or a photo or file, that a wizard step is waiting for. */
    private boolean continueFlow(Conversation conversation, Incoming incoming) {
        return conversations.find(conversation.user().telegramId())
                .map(state -> switch (state.flow()) {
                    case AnnounceFlow.FLOW -> incoming instanceof Incoming.Text text
                            ? announce.onText(conversation, state, text.formatted())
                            : announce.onAttachment(conversation, state, (Incoming.Attachment) incoming);
                    case AnnouncementChangeFlow.FLOW -> incoming instanceof Incoming.Text text
                            && changes.onText(conversation, state, text.formatted());
                    default -> false;
                })
                .orElse(false);
    }

    private void onCommand(Conversation conversation, Incoming.Command command) {
        CommandHandler handler = commands.get(command.name());
        boolean privateChat = command.chat().isPrivate();
        if (handler == null) {
            if (privateChat) {
                conversation.say("hint.unknownCommand", "command", "/" + LanguagePicker.truncate(command.name()));
            }
            return;
        }
        if (!privateChat && !handler.spec().worksInGroups()) {
            // Cards, lists, links and exports are personal: a group must not see what its sender may see.
            conversation.say("chat.privateOnly", "link", links.start(StartCommand.GREETING));
            return;
        }
        if (!allowed(conversation.user(), handler.spec().minimumRole())) {
            conversation.say(handler.spec().minimumRole() == Role.ADMIN ? "auth.adminsOnly" : "auth.notAllowed");
            return;
        }
        handler.handle(conversation, command.arguments());
    }

    private void onButton(Conversation conversation, Incoming.ButtonPress press) {
        ButtonContext context = new ButtonContext(press.callbackId(), press.messageId());
        if (!press.chat().isPrivate()) {
            conversation.answer(context, conversation.translator().text("button.expired"));
            return;
        }
        int separator = press.data().indexOf(':');
        Optional<ButtonHandler> handler = separator < 0
                ? Optional.empty()
                : Optional.ofNullable(buttons.get(press.data().substring(0, separator)));
        if (handler.isEmpty()) {
            conversation.answer(context, conversation.translator().text("button.expired"));
            return;
        }
        if (!allowed(conversation.user(), handler.get().minimumRole())) {
            conversation.answer(context, conversation.translator().text("auth.notAllowed"));
            return;
        }
        handler.get().handle(conversation, context, press.data().substring(separator + 1));
    }

    private static boolean allowed(User user, Role minimumRole) {
        return user.role().atLeast(minimumRole);
    }

    private void apologize(Incoming incoming, Conversation conversation) {
        try {
            if (incoming instanceof Incoming.ButtonPress press) {
                conversation.answer(new ButtonContext(press.callbackId(), press.messageId()),
                        conversation.translator().text("error.unexpected"));
            } else {
                conversation.say("error.unexpected");
            }
        } catch (RuntimeException e) {
            log.warn("Could not tell user {} about the failure: {}", conversation.user().telegramId(), e.getMessage());
        }
    }
}
