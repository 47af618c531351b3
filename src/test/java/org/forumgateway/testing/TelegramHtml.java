package org.forumgateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the real Bot API does with a text sent with parse_mode=HTML, written from its documentation ("Formatting
 * options") and the behaviour of its parser (tdlib), independently of the bot's own code: only its tags, in any case,
 * properly nested (an empty end tag closes the last one); attribute values in double or single quotes or bare;
 * {@code &lt; &gt; &amp; &quot;} and numeric entities decoded, and an '&' or '>' that is not part of one kept as it
 * is (so {@code &#9999999;}, outside Unicode, shows as written); a link it cannot use (javascript:) dropped, its text
 * kept; a surrogate entity, a span without class tg-spoiler and a bad custom emoji id refused; at most {@code
 * maxLength} UTF-16 units once parsed.
 */
final class TelegramHtml {
    private static final Set<String> TAGS = Set.of("a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
            "tg-spoiler", "tg-emoji", "tg-time", "span", "pre", "code", "blockquote");
    private static final Set<String> LINK_SCHEMES = Set.of("http", "https", "tg", "ton");

    private TelegramHtml() {
    }

    /** The text Telegram would show and the links it would keep. */
    record Parsed(String text, List<String> links) {
    }

    /** The Bot API's error description for {@code html}, or empty when it would accept it. */
    static Optional<String> problem(String html, int maxLength) {
        Parsing parsing = new Parsing(html);
        Optional<String> problem = parsing.run();
        if (problem.isPresent()) {
            return Optional.of("Bad Request: can't parse entities: " + problem.get());
        }
        String text = parsing.text.toString();
        if (text.strip().isEmpty()) {
            return Optional.of("Bad Request: message text is empty");
        }
        if (text.length() > maxLength) {
            return Optional.of("Bad Request: message is too long");
        }
        return Optional.empty();
    }

    /** What Telegram would show for {@code html}, which must be accepted. */
    static Parsed parse(String html) {
        Parsing parsing = new Parsing(html);
        parsing.run().ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return new Parsed(parsing.text.toString(), List.copyOf(parsing.links));
    }

    private static final class Parsing {
        private final String html;
        private final StringBuilder text = new StringBuilder();
        private final List<String> links = new ArrayList<>();
        private final Deque<Open> open = new ArrayDeque<>();
        private int i;

        private record Open(String name, String argument, int textStart) {
        }

        Parsing(String html) {
            this.html = html;
        }

        Optional<String> run() {
            while (i < html.length()) {
                char c = html.charAt(i);
                if (c == '&') {
                    int decoded = decodeEntity();
                    if (decoded >= 0xD800 && decoded <= 0xDFFF) {
                        return Optional.of("Text contains invalid Unicode characters after decoding HTML entities, "
                                + "check for unmatched surrogate code units");
                    }
                    if (decoded != 0) {
                        text.appendCodePoint(decoded);
                        continue;
                    }
                }
                if (c != '<') {
                    text.append(c);
                    i++;
                    continue;
                }
                Optional<String> problem = i + 1 < html.length() && html.charAt(i + 1) == '/' ? endTag() : startTag();
                if (problem.isPresent()) {
                    return problem;
                }
            }
            if (!open.isEmpty()) {
                return Optional.of("Can't find end tag corresponding to start tag " + open.peek().name());
            }
            return Optional.empty();
        }

        private Optional<String> startTag() {
            int begin = i++;
            while (i < html.length() && !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
                i++;
            }
            if (i >= html.length()) {
                return Optional.of("Unclosed start tag at byte offset " + byteOffset(begin));
            }
            String name = html.substring(begin + 1, i).toLowerCase(Locale.ROOT);
            if (!TAGS.contains(name)) {
                return Optional.of("Unsupported start tag \"" + name + "\" at byte offset " + byteOffset(begin));
            }
            String argument = "";
            while (true) {
                skipSpaces();
                if (i >= html.length()) {
                    return Optional.of("Unclosed start tag at byte offset " + byteOffset(begin));
                }
                if (html.charAt(i) == '>') {
                    i++;
                    break;
                }
                int attributeBegin = i;
                while (i < html.length() && !isSpace(html.charAt(i)) && html.charAt(i) != '=' && html.charAt(i) != '>') {
                    i++;
                }
                String attribute = html.substring(attributeBegin, i).toLowerCase(Locale.ROOT);
                skipSpaces();
                if (i >= html.length() || html.charAt(i) != '=') {
                    if (name.equals("blockquote") && attribute.equals("expandable")) {
                        argument = "1";
                    }
                    continue;
                }
                i++;
                skipSpaces();
                if (i >= html.length()) {
                    return Optional.of("Unclosed start tag \"" + name + "\" at byte offset " + byteOffset(begin));
                }
                StringBuilder value = new StringBuilder();
                char quote = html.charAt(i);
                if (quote != '"' && quote != '\'') {
                    int tokenBegin = i;
                    while (i < html.length() && (isAsciiAlphanumeric(html.charAt(i)) || html.charAt(i) == '.'
                            || html.charAt(i) == '-')) {
                        value.append(Character.toLowerCase(html.charAt(i++)));
                    }
                    if (i >= html.length() || !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
                        return Optional.of("Unexpected end of name token at byte offset " + byteOffset(tokenBegin));
                    }
                } else {
                    i++;
                    while (i < html.length() && html.charAt(i) != quote) {
                        int decoded = html.charAt(i) == '&' ? decodeEntity() : 0;
                        if (decoded != 0) {
                            value.appendCodePoint(decoded);
                        } else {
                            value.append(html.charAt(i++));
                        }
                    }
                    if (i >= html.length()) {
                        return Optional.of("Unclosed start tag at byte offset " + byteOffset(begin));
                    }
                    i++;
                }
                String v = value.toString();
                if (name.equals("a") && attribute.equals("href")
                        || name.equals("tg-emoji") && attribute.equals("emoji-id")
                        || name.equals("tg-time") && attribute.equals("unix")) {
                    argument = v;
                } else if (name.equals("code") && attribute.equals("class") && v.startsWith("language-")) {
                    argument = v.substring(9);
                } else if (name.equals("span") && attribute.equals("class") && v.startsWith("tg-")) {
                    argument = v.substring(3);
                }
            }
            if (name.equals("span") && !argument.equals("spoiler")) {
                return Optional.of("Tag \"span\" must have class \"tg-spoiler\" at byte offset " + byteOffset(begin));
            }
            open.push(new Open(name, argument, text.length()));
            return Optional.empty();
        }

        private Optional<String> endTag() {
            int begin = i;
            if (open.isEmpty()) {
                return Optional.of("Unexpected end tag at byte offset " + byteOffset(begin));
            }
            i += 2;
            while (i < html.length() && !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
                i++;
            }
            String name = html.substring(begin + 2, i).toLowerCase(Locale.ROOT);
            skipSpaces();
            if (i >= html.length() || html.charAt(i) != '>') {
                return Optional.of("Unclosed end tag at byte offset " + byteOffset(begin));
            }
            i++;
            Open closed = open.pop();
            if (!name.isEmpty() && !name.equals(closed.name())) {
                return Optional.of("Unmatched end tag at byte offset " + byteOffset(begin) + ", expected \"</"
                        + closed.name() + ">\", found \"</" + name + ">\"");
            }
            if (closed.name().equals("tg-emoji") && text.length() > closed.textStart()) {
                try {
                    if (Long.parseLong(closed.argument()) == 0) {
                        return Optional.of("Invalid custom emoji identifier specified");
                    }
                } catch (NumberFormatException e) {
                    return Optional.of("Invalid custom emoji identifier specified");
                }
            }
            if (closed.name().equals("a") && text.length() > closed.textStart()) {
                String url = closed.argument().isEmpty() ? text.substring(closed.textStart()) : closed.argument();
                int colon = url.indexOf(':');
                String scheme = colon > 0 ? url.substring(0, colon).toLowerCase(Locale.ROOT) : "http";
                if (LINK_SCHEMES.contains(scheme) || !scheme.matches("[a-z][a-z0-9+.-]*")) {
                    links.add(url);
                }
            }
            return Optional.empty();
        }

        /**
         * The character of the entity at {@code i}, moving past it (the ';' is optional), or 0 without moving when
         * Telegram keeps the '&' as it is: an unknown name, a number of 0 or from 0x10FFFF on, or too many digits.
         */
        private int decodeEntity() {
            int end = i + 1;
            long value = 0;
            if (end < html.length() && html.charAt(end) == '#') {
                end++;
                boolean hex = end < html.length() && html.charAt(end) == 'x';
                if (hex) {
                    end++;
                }
                while (end < html.length() && Character.digit(html.charAt(end), hex ? 16 : 10) >= 0
                        && html.charAt(end) < 128) {
                    value = Math.min(value * (hex ? 16 : 10) + Character.digit(html.charAt(end), 16), 1L << 32);
                    end++;
                }
                if (value == 0 || value >= 0x10FFFF || end - i >= 10) {
                    return 0;
                }
            } else {
                while (end < html.length() && isAsciiLetter(html.charAt(end))) {
                    end++;
                }
                value = switch (html.substring(i + 1, end)) {
                    case "lt" -> '<';
                    case "gt" -> '>';
                    case "amp" -> '&';
                    case "quot" -> '"';
                    default -> 0;
                };
                if (value == 0) {
                    return 0;
                }
            }
            i = end < html.length() && html.charAt(end) == ';' ? end + 1 : end;
            return (int) value;
        }

        private void skipSpaces() {
            while (i < html.length() && isSpace(html.charAt(i))) {
                i++;
            }
        }

        private int byteOffset(int index) {
            return html.substring(0, index).getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f';
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9';
    }
}
