package org.forumgateway.cohorts;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.Translator;
import org.forumgateway.reminders.AutomaticJob;
import org.forumgateway.reminders.AutomaticQueue;
import org.forumgateway.reminders.AutomationDao;
import org.forumgateway.reminders.DueMessage;
import org.forumgateway.reminders.Reader;
import org.forumgateway.reminders.Readers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Welcomes a cohort's members on its first day (and members added later in its period, unless their invite's answer
 * welcomed them); after its last day thanks them with a farewell, then archives the cohort. When staff extend a
 * cohort that has said farewell, its members are told it goes on, once for each new end (the farewell is not said
 * twice). Days are the forum's own (its default zone). Thread-safe.
 */
public final class CohortGreetings implements AutomaticJob {
    private static final Logger log = LoggerFactory.getLogger(CohortGreetings.class);
    private static final ZoneId UTC = ZoneId.of("UTC");
    /** The welcome's and the farewell's kinds in the record of automatic messages sent. */
    public static final String WELCOME = "welcome";
    private static final String FAREWELL = "farewell";
    private static final String EXTENDED = "extended";

    private final AutomationDao due;
    private final AutomaticQueue queue;
    private final Readers readers;
    private final CohortService cohorts;
    private final Clock clock;

    public CohortGreetings(AutomationDao due, AutomaticQueue queue, Readers readers, CohortService cohorts,
                           Clock clock) {
        this.due = due;
        this.queue = queue;
        this.readers = readers;
        this.cohorts = cohorts;
        this.clock = clock;
    }

    @Override
    public int queueDue() {
        Instant now = clock.instant();
        LocalDate today = now.atZone(readers.defaultZone()).toLocalDate();
        int queued = 0;
        for (Cohort cohort : cohorts.active()) {
            boolean running = cohort.runsOn(today);
            boolean over = today.isAfter(cohort.endsOn());
            if (!running && !over) {
                continue;
            }
            String kind = running ? WELCOME : FAREWELL;
            List<Reader> members = due.cohortMembersWithout(cohort.number(), kind);
            List<AutomaticQueue.Pending> pending = new ArrayList<>();
            for (Reader reader : members) {
                if (readers.quiet(reader, now)) {
                    continue;
                }
                Translator translator = readers.translator(reader);
                String name = cohort.name().in(translator.locale(), readers.defaultLocale());
                String text = running
                        ? welcome(cohort, name, translator)
                        : translator.text("cohort.farewell", "name", name);
                pending.add(new AutomaticQueue.Pending(new DueMessage(kind, String.valueOf(cohort.number()), reader,
                        Optional.empty(), Optional.empty(), List.of()),
                        new OutgoingMessage.Send(reader.userId(), text, Keyboard.NONE)));
            }
            queued += queue.queue(running ? NotificationKind.WELCOME : NotificationKind.FAREWELL, pending, now);
            if (running) {
                queued += tellExtended(cohort, now);
            }
            if (over && pending.size() == members.size()) {
                cohorts.archive(cohort.number());
                log.info("Cohort {} ended on {}; archived", cohort.number(), cohort.endsOn());
            }
        }
        return queued;
    }

    /** Tells the members thanked at an earlier end of {@code cohort}, which runs again, until when it goes on now. */
    private int tellExtended(Cohort cohort, Instant now) {
        String subject = cohort.number() + "@" + cohort.endsOn();
        List<AutomaticQueue.Pending> pending = new ArrayList<>();
        for (Reader reader : due.cohortMembersThankedWithout(cohort.number(), FAREWELL, EXTENDED, subject)) {
            if (readers.quiet(reader, now)) {
                continue;
            }
            Translator translator = readers.translator(reader);
            String text = translator.text("cohort.extended",
                    "name", cohort.name().in(translator.locale(), readers.defaultLocale()),
                    "to", day(cohort.endsOn(), translator));
            pending.add(new AutomaticQueue.Pending(new DueMessage(EXTENDED, subject, reader, Optional.empty(),
                    Optional.empty(), List.of()), new OutgoingMessage.Send(reader.userId(), text, Keyboard.NONE)));
        }
        return queue.queue(NotificationKind.COHORT_EXTENDED, pending, now);
    }

    /**
     * The welcome to a running cohort, {@code name} being its name in the reader's language. Someone who joins by an
     * invite while it runs gets it as the invite's answer, and the first-day round leaves them out.
     */
    public static String welcome(Cohort cohort, String name, Translator translator) {
        return translator.text("cohort.welcome", "name", name, "from", day(cohort.startsOn(), translator),
                "to", day(cohort.endsOn(), translator));
    }

    private static String day(LocalDate date, Translator translator) {
        return DateTimes.day(date.atStartOfDay(UTC).toInstant(), UTC, translator.locale());
    }
}
