package org.forumgateway.bot;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;

import java.util.Optional;

/** {@code /staff add|remove <user id or @username>} (administrators): grants and revokes the staff role. */
final class StaffCommand implements CommandHandler {
    private final UserService users;
    private final AuditLog audit;
    private final ChatMenus menus;
    private final RsvpService rsvps;

    StaffCommand(UserService users, AuditLog audit, ChatMenus menus, RsvpService rsvps) {
        this.users = users;
        this.rsvps = rsvps;
        this.audit = audit;
        this.menus = menus;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("staff", Role.ADMIN);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        String[] words = arguments.strip().split("\\s+");
        if (words.length != 2 || !(words[0].equalsIgnoreCase("add") || words[0].equalsIgnoreCase("remove"))) {
            conversation.say("staff.usage");
            return;
        }
        Optional<User> target = users.findByIdOrUsername(words[1]);
        if (target.isEmpty()) {
            conversation.say("staff.unknownUser", "reference", LanguagePicker.truncate(words[1]));
            return;
        }
        User user = target.get();
        if (users.isAdministrator(user.telegramId())) {
            conversation.say("staff.isAdmin", "name", user.displayName());
            return;
        }
        boolean add = words[0].equalsIgnoreCase("add");
        if (!add && user.role() != Role.STAFF) {
            // A mistyped name must not demote a delegate or a supporter.
            conversation.say("staff.notStaff", "name", user.displayName());
            return;
        }
        // Staff see every event: one they waited for with a seat left free is theirs now.
        // The role, its menu and the answer commit together: a staff member removed keeps no staff menu.
        conversation.together(() -> {
            users.setRole(user.telegramId(), add ? Role.STAFF : roleWithoutStaff(user), rsvps::fillSeatsWaitedBy);
            audit.record(conversation.user().telegramId(), add ? "staff.add" : "staff.remove",
                    user.telegramId() + " " + user.displayName());
            menus.keepCurrent(user.telegramId());
            // With the numeric id: "@aigerim" or a display name may not be the account staff meant.
            conversation.say(add ? "staff.added" : "staff.removed", "name", user.displayName(),
                    "id", String.valueOf(user.telegramId()));
        });
    }

    /** What a former staff member is from what is stored about them: a country makes a delegate, a cohort a supporter. */
    private static Role roleWithoutStaff(User user) {
        if (user.country().isPresent()) {
            return Role.DELEGATE;
        }
        return user.cohortNumber().isPresent() ? Role.SUPPORTER : Role.GUEST;
    }
}
