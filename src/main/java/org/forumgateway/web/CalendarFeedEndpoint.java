package org.forumgateway.web;

import org.forumgateway.calendar.CalendarFeeds;
import org.forumgateway.calendar.IcsWriter;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /calendar/<token>.ics}: a user's personal feed of the events they answered Going, Maybe or
 * waitlisted, in their language, with an ETag: an app that sends it back gets 304 while nothing changed. Unknown and
 * revoked tokens get 404, the same as any other missing page.
 */
public final class CalendarFeedEndpoint implements WebHandler {
    public static final String PREFIX = "/calendar/";
    /** The route; the token is checked against {@link #TOKEN} before any query. */
    public static final String ROUTE = PREFIX + "{token}.ics";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    /**
     * The feed is one person's, and an app may keep it only if it asks each time whether it changed: a moved session
     * must show at the next fetch. The tag makes that question cheap.
     */
    private static final String CACHE = "private, no-cache";

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
                    String body = ics.feed(feed.entries(), translator, catalog.defaultLocale());
                    String etag = etag(body);
                    if (request.header("If-None-Match").filter(tags -> matches(tags, etag)).isPresent()) {
                        return new WebResponse(304, "", new byte[0], Map.of("ETag", etag, "Cache-Control", CACHE));
                    }
                    return WebResponse.text(200, "text/calendar", body)
                            .withHeader("ETag", etag)
                            .withHeader("Cache-Control", CACHE)
                            // Else a browser saves the download under the path's last part: the secret token.
                            .withHeader("Content-Disposition", "inline; filename=\"forum-events.ics\"");
                })
                .orElseGet(() -> notFound(request));
    }

    /** A strong validator of the feed's text: the same events, answers and language give the same tag. */
    private static String etag(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** RFC 9110 13.1.2: a list of tags, compared weakly, or {@code *}. */
    private static boolean matches(String ifNoneMatch, String etag) {
        return Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag));
    }

    private static WebResponse notFound(WebRequest request) {
        return WebResponse.problem(404, "Not Found", "No resource at " + request.path() + ".");
    }
}
