package org.forumgateway.bot;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.events.EventFileException;
import org.forumgateway.events.ReloadReport;
import org.forumgateway.users.Role;

import java.util.List;
import java.util.function.Supplier;

/** {@code /reload} (staff): reads the events file again; a broken file is refused and the schedule stays. */
final class ReloadCommand implements CommandHandler {
    private final Supplier<ReloadReport> reload;
    private final AuditLog audit;

    ReloadCommand(Supplier<ReloadReport> reload, AuditLog audit) {
        this.reload = reload;
        this.audit = audit;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("reload", Role.STAFF);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        try {
            ReloadReport report = reload.get();
            audit.record(conversation.user().telegramId(), "schedule.reload",
                    report.added() + " new, " + report.updated() + " changed");
            conversation.say("reload.done", "events", report.events(), "added", report.added(),
                    "updated", report.updated(), "cohorts", report.cohorts());
            if (!report.missing().isEmpty()) {
                List<String> shown = report.missing(EventViews.LIST_LIMIT);
                conversation.say("reload.missing", "keys", String.join(", ", shown),
                        "more", report.missing().size() - shown.size());
            }
        } catch (EventFileException e) {
            audit.record(conversation.user().telegramId(), "schedule.reload.refused", e.getMessage());
            conversation.say("reload.failed", "error", e.describe(conversation.translator()));
        }
    }
}
