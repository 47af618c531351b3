package org.forumgateway.announcements;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Staff-written Telegram HTML: checks it the way the Bot API will, and splits a long text into messages at
 * paragraph boundaries, never inside a tag.
 */
public final class HtmlText {
    /** Telegram's limit, counted after entity parsing. */
    public static final int MAX_MESSAGE = 4096;
    private static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a",
            "code", "pre", "tg-spoiler", "span", "blockquote", "tg-emoji");
    private static final Pattern TAG = Pattern.compile(
            "<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[a-z-]+(?:=\"[^\"<>]*\")?)*)\\s*>"); // <blockquote expandable>
    private static final Pattern ENTITY = Pattern.compile("&(?:lt|gt|amp|quot|#\\d{1,7}|#x[0-9a-fA-F]{1,6});");

    private HtmlText() {
    }

    /** What is wrong with a text, for the staff member: a kind (a message key suffix) and the offending piece. */
    public record Problem(Kind kind, String detail) {
        /** Each maps to {@code announce.html.<kind>}. */
        public enum Kind { UNSUPPORTED_TAG, UNCLOSED_TAG, UNEXPECTED_CLOSE, RESERVED_CHARACTER, EMPTY }
    }

    public static Optional<Problem> check(String html) {
        Deque<String> open = new ArrayDeque<>();
        int visible = 0;
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                Matcher tag = TAG.matcher(html).region(i, html.length());
                if (!tag.lookingAt()) {
                    return Optional.of(new Problem(Problem.Kind.RESERVED_CHARACTER, "<"));
                }
                String name = tag.group(2).toLowerCase(Locale.ROOT);
                if (!TAGS.contains(name)) {
                    return Optional.of(new Problem(Problem.Kind.UNSUPPORTED_TAG, "<" + name + ">"));
                }
                if (tag.group(1).isEmpty()) {
                    open.push(name);
                } else if (open.isEmpty() || !open.peek().equals(name)) {
                    return Optional.of(new Problem(Problem.Kind.UNEXPECTED_CLOSE, "</" + name + ">"));
                } else {
                    open.pop();
                }
                i = tag.end();
            } else if (c == '&') {
                Matcher entity = ENTITY.matcher(html).region(i, html.length());
                if (!entity.lookingAt()) {
                    return Optional.of(new Problem(Problem.Kind.RESERVED_CHARACTER, "&"));
                }
                visible++;
                i = entity.end();
            } else if (c == '>') {
                return Optional.of(new Problem(Problem.Kind.RESERVED_CHARACTER, ">"));
            } else {
                if (!Character.isWhitespace(c)) {
                    visible++;
                }
                i++;
            }
        }
        if (!open.isEmpty()) {
            return Optional.of(new Problem(Problem.Kind.UNCLOSED_TAG, "<" + open.peek() + ">"));
        }
        return visible == 0 ? Optional.of(new Problem(Problem.Kind.EMPTY, "")) : Optional.empty();
    }

    /**
     * Splits valid HTML into messages of at most {@code limit} visible characters: at blank lines, else at line
     * breaks, else at spaces, preferring places where no tag is open. A cut inside formatting closes the open tags
     * at the end of one message and opens them again at the start of the next, so every part stays valid.
     */
    public static List<String> split(String html, int limit) {
        List<String> parts = new ArrayList<>();
        String rest = html.strip();
        while (visibleLength(rest) > limit) {
            Cut cut = cutPoint(rest, limit);
            StringBuilder closing = new StringBuilder();
            for (int i = cut.open().size() - 1; i >= 0; i--) {
                closing.append("</").append(tagName(cut.open().get(i))).append('>');
            }
            parts.add(rest.substring(0, cut.index()).strip() + closing);
            rest = String.join("", cut.open()) + rest.substring(cut.index()).strip();
        }
        if (!rest.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    /** Characters Telegram counts: tags count nothing, an entity counts one. */
    public static int visibleLength(String html) {
        int visible = 0;
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = html.indexOf('>', i);
                i = end < 0 ? html.length() : end + 1;
            } else if (c == '&') {
                int end = html.indexOf(';', i);
                visible++;
                i = end < 0 ? i + 1 : end + 1;
            } else {
                visible++;
                i++;
            }
        }
        return visible;
    }

    /** Where to cut, and the opening tags still open there (outermost first). */
    private record Cut(int index, List<String> open) {
    }

    /**
     * The last good place to cut before the limit (budgeting for the tags a cut must close): a blank line, else a
     * line break, else a space, each preferred where no tag is open; else wherever the limit falls.
     */
    private static Cut cutPoint(String html, int limit) {
        Cut[] best = new Cut[6]; // paragraph, line, space: with no tag open, then inside a tag
        Deque<String> open = new ArrayDeque<>();
        int visible = 0;
        int i = 0;
        int budget = limit - 8; // room for the closing tags' effect on nothing visible, and a margin
        while (i < html.length() && visible < budget) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = html.indexOf('>', i);
                String tag = html.substring(i, end + 1);
                if (tag.startsWith("</")) {
                    open.pollLast();
                } else {
                    open.addLast(tag);
                }
                i = end + 1;
                continue;
            }
            int kind = c == '\n' && i + 1 < html.length() && html.charAt(i + 1) == '\n' ? 0
                    : c == '\n' ? 1 : c == ' ' ? 2 : -1;
            if (kind >= 0) {
                best[open.isEmpty() ? kind : kind + 3] = new Cut(i, List.copyOf(open));
            }
            i = c == '&' ? html.indexOf(';', i) + 1 : i + 1;
            visible++;
        }
        for (Cut cut : best) {
            if (cut != null && cut.index() > 0) {
                return cut;
            }
        }
        // One unbroken run longer than a message: cut it where the limit falls.
        return new Cut(i, List.copyOf(open));
    }

    private static String tagName(String openingTag) {
        Matcher matcher = TAG.matcher(openingTag);
        return matcher.lookingAt() ? matcher.group(2).toLowerCase(Locale.ROOT) : "b";
    }
}
