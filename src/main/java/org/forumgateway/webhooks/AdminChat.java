package org.forumgateway.webhooks;

import org.forumgateway.delivery.Notifications;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.users.UserService;

import java.time.ZoneId;
import java.util.Set;

/**
 * How the webhooks reach administrators when an endpoint keeps failing: who they are, their language and zone,
 * and the outbox their messages go through.
 *
 * @param adminIds      Telegram ids of the administrators (ADMIN_IDS)
 * @param defaultZone   the zone of administrators who chose none
 * @param notifications the one way in through which alerts are queued
 */
public record AdminChat(Set<Long> adminIds, UserService users, MessageCatalog catalog, ZoneId defaultZone,
                        Notifications notifications) {
    public AdminChat {
        adminIds = Set.copyOf(adminIds);
    }
}
