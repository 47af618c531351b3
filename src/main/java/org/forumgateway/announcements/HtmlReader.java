package org.forumgateway.announcements;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Telegram's HTML parse mode the way the Bot API reads it: tag names in any case, attribute values in double
 * or single quotes or bare, {@code &lt; &gt; &amp; &quot;} and numeric entities decoded, and every other '&' or '>'
 * taken as the character itself. The result is a list of tokens with their place in the source, so that checking,
 * counting and splitting all see the text as Telegram will.
 */
final class HtmlReader {
    private static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
            "tg-spoiler", "a", "tg-emoji", "tg-time", "code", "pre", "blockquote");
    /** Telegram's parser skips these between a tag's parts (and tdlib counts NUL as one). */
    private static final String SPACES = " \t\n\r\u000B\f";

    private HtmlReader() {
    }

    /** A piece of the source. */
    sealed interface Token {
        int start();

        int end();
    }

    /**
     * One character of the parsed text: {@code length} UTF-16 units, {@code entity} when written as an entity,
     * {@code codePoint} what Telegram shows.
     */
    record Glyph(int start, int end, int codePoint, boolean entity) implements Token {
        int length() {
            return Character.charCount(codePoint);
        }
    }

    /** An opening tag with its lower-cased name and attributes (a valueless attribute has the value ""). */
    record Open(int start, int end, String name, Map<String, String> attributes) implements Token {
    }

    /** A closing tag; an empty name ({@code </>}) closes whatever is open, as Telegram allows. */
    record Close(int start, int end, String name) implements Token {
    }

    /** The tokens read, and why reading stopped early if it did. */
    record Reading(List<Token> tokens, Optional<HtmlText.Problem> problem) {
        int visibleLength() {
            return tokens.stream().mapToInt(token -> token instanceof Glyph c ? c.length() : 0).sum();
        }
    }

    static Reading read(String html) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '&') {
                Optional<Glyph> entity = entity(html, i);
                if (entity.isPresent() && entity.get().codePoint() >= 0xD800 && entity.get().codePoint() <= 0xDFFF) {
                    return new Reading(tokens, problem(HtmlText.Problem.Kind.BAD_ENTITY, entityText(html, i)));
                }
                if (entity.isPresent()) {
                    tokens.add(entity.get());
                    i = entity.get().end();
                    continue;
                }
                if (looksLikeEntity(html, i)) {
                    return new Reading(tokens, problem(HtmlText.Problem.Kind.BAD_ENTITY, entityText(html, i)));
                }
            }
            if (c != '<') {
                int codePoint = html.codePointAt(i);
                int end = i + Character.charCount(codePoint);
                tokens.add(new Glyph(i, end, codePoint, false));
                i = end;
                continue;
            }
            Tag tag = i + 1 < html.length() && html.charAt(i + 1) == '/' ? closeTag(html, i) : openTag(html, i);
            if (tag.problem().isPresent()) {
                return new Reading(tokens, tag.problem());
            }
            Token token = tag.token().orElseThrow();
            tokens.add(token);
            i = token.end();
        }
        return new Reading(tokens, Optional.empty());
    }

    /** A tag read, or what is wrong with it. */
    private record Tag(Optional<Token> token, Optional<HtmlText.Problem> problem) {
        static Tag of(Token token) {
            return new Tag(Optional.of(token), Optional.empty());
        }

        static Tag wrong(HtmlText.Problem.Kind kind, String detail) {
            return new Tag(Optional.empty(), Optional.of(new HtmlText.Problem(kind, detail)));
        }
    }

    /** An opening tag starting at {@code begin}, or the problem with it. */
    private static Tag openTag(String html, int begin) {
        int i = begin + 1;
        while (i < html.length() && !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
            i++;
        }
        String name = html.substring(begin + 1, i).toLowerCase(Locale.ROOT);
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            return Tag.wrong(HtmlText.Problem.Kind.RESERVED_CHARACTER, "<");
        }
        if (!TAGS.contains(name)) {
            return Tag.wrong(HtmlText.Problem.Kind.UNSUPPORTED_TAG, "<" + name + ">");
        }
        Tag malformed = Tag.wrong(HtmlText.Problem.Kind.BAD_ATTRIBUTE, "<" + name + ">");
        Map<String, String> attributes = new HashMap<>();
        while (true) {
            i = skipSpaces(html, i);
            if (i >= html.length()) {
                return malformed;
            }
            if (html.charAt(i) == '>') {
                return Tag.of(new Open(begin, i + 1, name, Map.copyOf(attributes)));
            }
            int nameStart = i;
            while (i < html.length() && !isSpace(html.charAt(i)) && html.charAt(i) != '=' && html.charAt(i) != '>') {
                i++;
            }
            String attribute = html.substring(nameStart, i).toLowerCase(Locale.ROOT);
            i = skipSpaces(html, i);
            if (i >= html.length() || html.charAt(i) != '=') {
                attributes.put(attribute, ""); // a valueless attribute, as in <blockquote expandable>
                continue;
            }
            i = skipSpaces(html, i + 1);
            if (i >= html.length()) {
                return malformed;
            }
            char quote = html.charAt(i);
            StringBuilder value = new StringBuilder();
            if (quote == '"' || quote == '\'') {
                i++;
                while (i < html.length() && html.charAt(i) != quote) {
                    Optional<Glyph> entity = html.charAt(i) == '&' ? entity(html, i) : Optional.empty();
                    if (entity.isPresent()) {
                        value.appendCodePoint(entity.get().codePoint());
                        i = entity.get().end();
                    } else {
                        value.append(html.charAt(i++));
                    }
                }
                if (i >= html.length()) {
                    return malformed;
                }
                i++;
            } else {
                // A bare value is a name token: letters, digits, '.' and '-', read in lower case.
                while (i < html.length() && (isAsciiLetterOrDigit(html.charAt(i)) || html.charAt(i) == '.'
                        || html.charAt(i) == '-')) {
                    value.append(Character.toLowerCase(html.charAt(i++)));
                }
                if (i >= html.length() || !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
                    return malformed;
                }
            }
            attributes.put(attribute, value.toString());
        }
    }

    private static Tag closeTag(String html, int begin) {
        int i = begin + 2;
        while (i < html.length() && !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
            i++;
        }
        String name = html.substring(begin + 2, i).toLowerCase(Locale.ROOT);
        i = skipSpaces(html, i);
        if (i >= html.length() || html.charAt(i) != '>') {
            return Tag.wrong(HtmlText.Problem.Kind.RESERVED_CHARACTER, "<");
        }
        return Tag.of(new Close(begin, i + 1, name));
    }

    /**
     * The entity at {@code at} as Telegram decodes it: one of the four named ones or a numeric one (decimal, or hex
     * with a lower-case x), the ';' optional; empty when Telegram would show the '&' as it is.
     */
    static Optional<Glyph> entity(String html, int at) {
        int end = at + 1;
        int codePoint = 0;
        if (end < html.length() && html.charAt(end) == '#') {
            end++;
            boolean hex = end < html.length() && html.charAt(end) == 'x';
            if (hex) {
                end++;
            }
            long value = 0;
            while (end < html.length() && digit(html.charAt(end), hex) >= 0) {
                value = Math.min(value * (hex ? 16 : 10) + digit(html.charAt(end), hex), Integer.MAX_VALUE);
                end++;
            }
            codePoint = (int) value;
            if (codePoint == 0 || codePoint >= 0x10FFFF || end - at >= 10) {
                return Optional.empty();
            }
        } else {
            while (end < html.length() && isAsciiLetter(html.charAt(end))) {
                end++;
            }
            codePoint = switch (html.substring(at + 1, end)) {
                case "lt" -> '<';
                case "gt" -> '>';
                case "amp" -> '&';
                case "quot" -> '"';
                default -> 0;
            };
            if (codePoint == 0) {
                return Optional.empty();
            }
        }
        if (end < html.length() && html.charAt(end) == ';') {
            end++;
        }
        return Optional.of(new Glyph(at, end, codePoint, true));
    }

    /**
     * Whether the '&' at {@code at} was meant as an entity Telegram will not decode: {@code &#…} outside Unicode or
     * malformed, a surrogate half, or a name ending in ';' ({@code &nbsp;}). A lone '&' ("R&D") is just a character.
     */
    private static boolean looksLikeEntity(String html, int at) {
        if (at + 1 < html.length() && html.charAt(at + 1) == '#') {
            return true;
        }
        int end = at + 1;
        while (end < html.length() && isAsciiLetterOrDigit(html.charAt(end))) {
            end++;
        }
        return end > at + 1 && end < html.length() && html.charAt(end) == ';';
    }

    private static String entityText(String html, int at) {
        int end = at + 1;
        while (end < html.length() && end - at < 16 && html.charAt(end) != ';' && !isSpace(html.charAt(end))) {
            end++;
        }
        return html.substring(at, Math.min(html.length(), end + 1)).strip();
    }

    private static Optional<HtmlText.Problem> problem(HtmlText.Problem.Kind kind, String detail) {
        return Optional.of(new HtmlText.Problem(kind, detail));
    }

    private static int skipSpaces(String html, int i) {
        while (i < html.length() && isSpace(html.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return SPACES.indexOf(c) >= 0;
    }

    /** An ASCII digit's value (hex: also a-f, A-F), or -1. */
    private static int digit(char c, boolean hex) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
            return Character.toLowerCase(c) - 'a' + 10;
        }
        return -1;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9';
    }
}
