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
    /** Link schemes staff may use: Telegram drops other links silently, and a javascript: link is never meant. */
    private static final Set<String> LINK_SCHEMES = Set.of("http", "https", "tg");
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");
    private static final Pattern TIME_FORMAT = Pattern.compile("r|w?[dD]?[tT]?");
    /**
     * How many tags may be open at once: far more than any formatting needs, and few enough that checking and
     * splitting a text stay linear in its length (each cut carries the open tags over).
     */
    public static final int MAX_OPEN_TAGS = 16;

    private HtmlText() {
    }

    /** What is wrong with a text, for the staff member: a kind (a message key suffix) and the offending piece. */
    public record Problem(Kind kind, String detail) {
        /** Each maps to {@code announce.html.<kind>}. */
        public enum Kind {
            UNSUPPORTED_TAG, UNCLOSED_TAG, UNEXPECTED_CLOSE, RESERVED_CHARACTER, EMPTY, BAD_ATTRIBUTE, UNSAFE_LINK,
            BAD_ENTITY, LINK_IN_LINK, TOO_DEEP
        }
    }

    /**
     * Why Telegram would refuse {@code html} (or, for a link other than http, https or tg and an entity outside
     * Unicode, silently show something else than meant), or empty when it is fine to send.
     */
    public static Optional<Problem> check(String html) {
        HtmlReader.Reading reading = HtmlReader.read(html);
        if (reading.problem().isPresent()) {
            return reading.problem();
        }
        Deque<HtmlReader.Open> open = new ArrayDeque<>();
        int visible = 0;
        // The text of the link open now, gathered as it goes by: there is at most one.
        StringBuilder linkText = null;
        for (HtmlReader.Token token : reading.tokens()) {
            if (token instanceof HtmlReader.Glyph glyph) {
                visible += Character.isWhitespace(glyph.codePoint()) ? 0 : 1;
                if (linkText != null) {
                    linkText.appendCodePoint(glyph.codePoint());
                }
            } else if (token instanceof HtmlReader.Open tag) {
                Optional<Problem> problem = attributeProblem(tag);
                if (problem.isPresent()) {
                    return problem;
                }
                if (open.size() == MAX_OPEN_TAGS) {
                    return Optional.of(new Problem(Problem.Kind.TOO_DEEP, "<" + tag.name() + ">"));
                }
                if (tag.name().equals("a")) {
                    if (linkText != null) {
                        return Optional.of(new Problem(Problem.Kind.LINK_IN_LINK, "<a>"));
                    }
                    linkText = new StringBuilder();
                }
                open.push(tag);
            } else if (token instanceof HtmlReader.Close close) {
                if (open.isEmpty() || !close.name().isEmpty() && !open.peek().name().equals(close.name())) {
                    return Optional.of(new Problem(Problem.Kind.UNEXPECTED_CLOSE, "</" + close.name() + ">"));
                }
                HtmlReader.Open closed = open.pop();
                if (closed.name().equals("a")) {
                    // Without href, Telegram links the text itself.
                    String href = closed.attributes().getOrDefault("href", "");
                    Optional<Problem> problem = linkProblem(href.isEmpty() ? linkText.toString() : href);
                    if (problem.isPresent()) {
                        return problem;
                    }
                    linkText = null;
                }
            }
        }
        if (!open.isEmpty()) {
            return Optional.of(new Problem(Problem.Kind.UNCLOSED_TAG, "<" + open.peek().name() + ">"));
        }
        return visible == 0 ? Optional.of(new Problem(Problem.Kind.EMPTY, "")) : Optional.empty();
    }

    /** The attribute rules of Telegram's tags that make it refuse a text. */
    private static Optional<Problem> attributeProblem(HtmlReader.Open tag) {
        String detail = "<" + tag.name() + ">";
        boolean wrong = switch (tag.name()) {
            case "span" -> !"tg-spoiler".equals(tag.attributes().get("class"));
            case "tg-emoji" -> !customEmojiId(tag.attributes().getOrDefault("emoji-id", ""));
            case "tg-time" -> !tag.attributes().getOrDefault("unix", "").matches("[0-9]{1,12}")
                    || !TIME_FORMAT.matcher(tag.attributes().getOrDefault("format", "")).matches();
            default -> false;
        };
        return wrong ? Optional.of(new Problem(Problem.Kind.BAD_ATTRIBUTE, detail)) : Optional.empty();
    }

    /** Telegram reads the id as a non-zero 64-bit integer. */
    private static boolean customEmojiId(String id) {
        try {
            return Long.parseLong(id) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Problem> linkProblem(String url) {
        Matcher scheme = SCHEME.matcher(url.strip());
        if (scheme.find() && !LINK_SCHEMES.contains(scheme.group(1).toLowerCase(Locale.ROOT))) {
            return Optional.of(new Problem(Problem.Kind.UNSAFE_LINK, url.strip()));
        }
        return Optional.empty();
    }

    /**
     * Splits valid HTML into messages of at most {@code limit} characters as Telegram counts them: at blank lines,
     * else at line breaks, else at spaces, preferring places where no tag is open. A cut inside formatting closes the
     * open tags at the end of one message and opens them again at the start of the next, so every part stays valid.
     */
    public static List<String> split(String html, int limit) {
        List<String> parts = new ArrayList<>();
        String rest = html.strip();
        while (visibleLength(rest) > limit) {
            Cut cut = cutPoint(rest, limit);
            StringBuilder closing = new StringBuilder();
            for (int i = cut.open().size() - 1; i >= 0; i--) {
                closing.append("</").append(cut.open().get(i).name()).append('>');
            }
            StringBuilder reopening = new StringBuilder();
            for (HtmlReader.Open tag : cut.open()) {
                reopening.append(rest, tag.start(), tag.end());
            }
            parts.add(rest.substring(0, cut.index()).strip() + closing);
            rest = reopening + rest.substring(cut.index()).strip();
        }
        if (!rest.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    /**
     * The length Telegram checks against its limits: the text after parsing, in UTF-16 units (tags count nothing, an
     * entity counts what it stands for). Malformed markup counts its unreadable rest as written.
     */
    public static int visibleLength(String html) {
        HtmlReader.Reading reading = HtmlReader.read(html);
        List<HtmlReader.Token> tokens = reading.tokens();
        int readUpTo = tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1).end();
        return reading.visibleLength() + (reading.problem().isPresent() ? html.length() - readUpTo : 0);
    }

    /** Where to cut, and the opening tags still open there (outermost first). */
    private record Cut(int index, List<HtmlReader.Open> open) {
    }

    /**
     * The last good place to cut before the limit: a blank line, else a line break, else a space, each preferred where
     * no tag is open; else wherever the limit falls.
     */
    private static Cut cutPoint(String html, int limit) {
        Cut[] best = new Cut[6]; // paragraph, line, space: with no tag open, then inside a tag
        List<HtmlReader.Token> tokens = HtmlReader.read(html).tokens();
        Deque<HtmlReader.Open> open = new ArrayDeque<>();
        int visible = 0;
        boolean anythingBefore = false;
        int index = 0;
        for (int t = 0; t < tokens.size(); t++) {
            HtmlReader.Token token = tokens.get(t);
            index = token.start();
            if (token instanceof HtmlReader.Open tag) {
                open.addLast(tag);
                continue;
            }
            if (token instanceof HtmlReader.Close) {
                open.pollLast();
                continue;
            }
            HtmlReader.Glyph glyph = (HtmlReader.Glyph) token;
            if (visible + glyph.length() > limit) {
                break;
            }
            int kind = glyph.entity() ? -1 : glyph.codePoint() == '\n' && t + 1 < tokens.size()
                    && tokens.get(t + 1) instanceof HtmlReader.Glyph next && next.codePoint() == '\n' ? 0
                    : glyph.codePoint() == '\n' ? 1 : glyph.codePoint() == ' ' ? 2 : -1;
            if (kind >= 0 && anythingBefore) {
                best[open.isEmpty() ? kind : kind + 3] = new Cut(token.start(), List.copyOf(open));
            }
            anythingBefore |= !Character.isWhitespace(glyph.codePoint());
            visible += glyph.length();
            index = token.end();
        }
        for (Cut cut : best) {
            if (cut != null) {
                return cut;
            }
        }
        // One unbroken run longer than a message: cut it where the limit falls.
        return new Cut(index, List.copyOf(open));
    }
}
