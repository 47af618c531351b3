package org.forumgateway.web;

import org.forumgateway.calendar.CalendarFeeds;
import org.forumgateway.calendar.IcsWriter;
import org.forumgateway.i18n.MessageCatalog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /calendar/<token>.ics}: a user's personal feed of the events they answered Going, Maybe or
 * waitlisted, in their language. Unknown and revoked tokens get 404, the same as any other missing page.
 */
public final class CalendarFeedEndpoint implements WebServer.Endpoint {
    public static final String PREFIX = "/calendar/";
    private static final Pattern PATH = Pattern.compile(Pattern.quote(PREFIX) + "([A-Za-z0-9_-]{16,64})\\.ics");

    private final CalendarFeeds feeds;
    private final IcsWriter ics;
    private final MessageCatalog catalog;

    public CalendarFeedEndpoint(CalendarFeeds feeds, IcsWriter ics, MessageCatalog catalog) {
        this.feeds = feeds;
        this.ics = ics;
        this.catalog = catalog;
    }

    @Override
    public Reply get(String path) {
        Matcher matcher = PATH.matcher(path);
        if (!matcher.matches()) {
            return notFound();
        }
        return feeds.feed(matcher.group(1))
                .map(feed -> {
                    String locale = catalog.resolve(feed.locale(), Optional.empty());
                    String name = catalog.translator(locale).text("calendar.feedName");
                    return new Reply(200, "text/calendar", ics.write(feed.events(), locale, catalog.defaultLocale(), name));
                })
                .orElseGet(CalendarFeedEndpoint::notFound);
    }

    private static Reply notFound() {
        return new Reply(404, "application/json", "{\"error\":\"not found\"}");
    }
}
