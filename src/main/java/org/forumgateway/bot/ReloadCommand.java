package org.forumgateway.bot;

import org.forumgateway.events.EventFileException;
import org.forumgateway.events.ReloadReport;
import org.forumgateway.users.Role;

import java.util.function.Supplier;

/** {@code /reload} (staff): reads the events file again; a broken file is refused and the schedule stays. */
final class ReloadCommand implements CommandHandler {
    private final Supplier<ReloadReport> reload;

    ReloadCommand(Supplier<ReloadReport> reload) {
        this.reload = reload;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("reload", Role.STAFF);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        try {
            ReloadReport report = reload.get();
            conversation.say("reload.done", "events", report.events(), "added", report.added(),
                    "updated", report.updated(), "cohorts", report.cohorts());
        } catch (EventFileException e) {
            conversation.say("reload.failed", "error", e.getMessage());
        }
    }
}
