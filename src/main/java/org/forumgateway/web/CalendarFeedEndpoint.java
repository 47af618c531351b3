package org.forumgateway.web;

import org.forumgateway.calendar.CalendarFeeds;
import org.forumgateway.calendar.IcsWriter;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;

import java.util.regex.Pattern;

/**
 * {@code GET /calendar/<token>.ics}: a user's personal feed of the events they answered Going, Maybe or
 * waitlisted, in their language. Unknown and revoked tokens get 404, the same as any other missing page.
 */
public final class CalendarFeedEndpoint implements WebHandler {
    public static final String PREFIX = "/calendar/";
    /** The route; the token is checked against {@link #TOKEN} before any query. */
    public static final String ROUTE = PREFIX + "{token}.ics";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private final CalendarFeeds feeds;
    private final IcsWriter ics;
    private final MessageCatalog catalog;

    public CalendarFeedEndpoint(CalendarFeeds feeds, IcsWriter ics, MessageCatalog catalog) {
        this.feeds = feeds;
        this.ics = ics;
        this.catalog = catalog;
    }

    @Override
    public WebResponse handle(WebRequest request) {
        String token = request.pathParameter("token");
        if (!TOKEN.matcher(token).matches()) {
            return notFound(request);
        }
        return feeds.feed(token)
                .map(feed -> {
                    Translator translator = catalog.translator(catalog.resolve(feed.language()));
                    String name = translator.text("calendar.feedName");
                    return WebResponse.text(200, "text/calendar",
                            ics.write(feed.entries(), translator, catalog.defaultLocale(), name));
                })
                .orElseGet(() -> notFound(request));
    }

    private static WebResponse notFound(WebRequest request) {
        return WebResponse.problem(404, "Not Found", "No resource at " + request.path() + ".");
    }
}
