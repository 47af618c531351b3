package org.forumgateway.bot;

import org.forumgateway.announcements.AnnouncementService;
import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.api.ApiKeys;
import org.forumgateway.api.PersonLinks;
import org.forumgateway.audit.AuditLog;
import org.forumgateway.calendar.CalendarFeeds;
import org.forumgateway.conversation.ConversationStates;
import org.forumgateway.calendar.IcsWriter;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.delivery.ChatBlocks;
import org.forumgateway.events.EventService;
import org.forumgateway.groups.BotGroups;
import org.forumgateway.invites.InviteService;
import org.forumgateway.rsvp.AttendanceExport;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.users.PersonErasure;
import org.forumgateway.users.UserService;

/** The use cases the conversation calls, gathered so the router's constructor stays readable. */
public record BotServices(
        UserService users,
        EventService events,
        RsvpService rsvps,
        CohortService cohorts,
        InviteService invites,
        CalendarFeeds calendarFeeds,
        IcsWriter ics,
        AttendanceExport attendance,
        AnnouncementService announcements,
        AudienceResolver audiences,
        ConversationStates conversations,
        AuditLog audit,
        ApiKeys apiKeys,
        PersonLinks personLinks,
        BotGroups groups,
        ChatBlocks blocks,
        PersonErasure erasure) {
}
