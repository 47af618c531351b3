package org.forumgateway.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the real Bot API checks of a text sent with parse_mode=HTML: only its tags, properly nested; only its
 * entities; every other '<', '>' and '&' escaped; at most 4096 characters once parsed. Written from the Bot API
 * documentation for the fake server, independently of the bot's own code.
 */
final class TelegramHtml {
    private static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a",
            "code", "pre", "tg-spoiler", "span", "blockquote", "tg-emoji");
    private static final Pattern ENTITY = Pattern.compile("&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});");
    private static final Pattern TAG = Pattern.compile("<(/?)([a-z-]+)(\\s[^<>]*)?>");

    private TelegramHtml() {
    }

    /** The Bot API's error description for {@code html}, or empty when it would accept it. */
    static Optional<String> problem(String html, int maxLength) {
        Deque<String> open = new ArrayDeque<>();
        StringBuilder plain = new StringBuilder();
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                Matcher tag = TAG.matcher(html).region(i, html.length());
                if (!tag.lookingAt() || !TAGS.contains(tag.group(2))) {
                    return Optional.of("Bad Request: can't parse entities: Unsupported start tag at byte offset " + i);
                }
                if (tag.group(1).isEmpty()) {
                    open.push(tag.group(2));
                } else if (open.isEmpty() || !open.pop().equals(tag.group(2))) {
                    return Optional.of("Bad Request: can't parse entities: Unexpected end tag at byte offset " + i);
                }
                i = tag.end();
            } else if (c == '&') {
                Matcher entity = ENTITY.matcher(html).region(i, html.length());
                if (!entity.lookingAt()) {
                    return Optional.of("Bad Request: can't parse entities: Character '&' is reserved at byte offset " + i);
                }
                plain.append('x');
                i = entity.end();
            } else if (c == '>') {
                return Optional.of("Bad Request: can't parse entities: Character '>' is reserved at byte offset " + i);
            } else {
                plain.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            return Optional.of("Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
                    + open.peek());
        }
        if (plain.toString().strip().isEmpty()) {
            return Optional.of("Bad Request: message text is empty");
        }
        if (plain.length() > maxLength) {
            return Optional.of("Bad Request: message is too long");
        }
        return Optional.empty();
    }
}
