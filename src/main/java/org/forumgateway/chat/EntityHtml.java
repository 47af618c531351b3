package org.forumgateway.chat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns text with Telegram entities into the HTML that parse_mode=HTML reads back as the same formatting. Offsets are
 * UTF-16 code units, which is what a Java string counts, so an emoji (a surrogate pair) before an entity shifts
 * nothing. Entities that overlap without nesting are cut into properly nested tags: the one ending first is closed
 * and the others reopened. Entities Telegram finds by itself (mentions, hashtags, plain links) are left as text.
 */
final class EntityHtml {
    /** Kinds that hold whole blocks: outside any inline formatting when both start at one place. */
    private static final Map<String, Integer> BLOCK_RANK = Map.of("blockquote", 0, "expandable_blockquote", 0,
            "pre", 1);

    private EntityHtml() {
    }

    static String toHtml(FormattedText formatted) {
        String text = formatted.text();
        List<Span> spans = spans(formatted);
        BitSet boundaries = new BitSet(text.length() + 1);
        boundaries.set(0);
        boundaries.set(text.length());
        for (Span span : spans) {
            boundaries.set(span.start());
            boundaries.set(span.end());
        }
        StringBuilder html = new StringBuilder(text.length() + 16 * spans.size());
        List<Span> open = new ArrayList<>();
        for (int at = 0; at < text.length(); at = boundaries.nextSetBit(at + 1)) {
            int next = boundaries.nextSetBit(at + 1);
            int segmentStart = at;
            List<Span> active = spans.stream().filter(span -> span.start() <= segmentStart && span.end() > segmentStart)
                    .toList();
            // Close down to the deepest tag that stays open; reopen what was closed on the way if it goes on.
            int keep = 0;
            while (keep < open.size() && active.contains(open.get(keep))) {
                keep++;
            }
            for (int i = open.size() - 1; i >= keep; i--) {
                html.append(open.get(i).closing());
            }
            List<Span> kept = new ArrayList<>(open.subList(0, keep));
            List<Span> opening = new ArrayList<>(active.stream().filter(span -> !kept.contains(span)).toList());
            // Longest-lasting outermost, so later ends need as few cuts as possible.
            opening.sort(Comparator.comparingInt(Span::rank).thenComparing(Comparator.comparingInt(Span::end).reversed())
                    .thenComparingInt(Span::order));
            opening.forEach(span -> html.append(span.opening()));
            kept.addAll(opening);
            open = kept;
            escape(text, segmentStart, next, html);
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            html.append(open.get(i).closing());
        }
        return html.toString();
    }

    private static List<Span> spans(FormattedText formatted) {
        String text = formatted.text();
        List<Span> spans = new ArrayList<>();
        int order = 0;
        for (TextEntity entity : formatted.entities()) {
            Optional<String[]> tags = tags(entity);
            int start = clamp(text, entity.offset());
            int end = clamp(text, entity.end());
            if (tags.isPresent() && end > start) {
                spans.add(new Span(start, end, tags.get()[0], tags.get()[1],
                        BLOCK_RANK.getOrDefault(entity.type(), 2), order++));
            }
        }
        return spans;
    }

    /** Within the text, and never between the two halves of a surrogate pair. */
    private static int clamp(String text, int index) {
        int at = Math.max(0, Math.min(index, text.length()));
        if (at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))
                && Character.isHighSurrogate(text.charAt(at - 1))) {
            at++;
        }
        return at;
    }

    /** The opening and closing tag of an entity, or empty for kinds that need no markup. */
    private static Optional<String[]> tags(TextEntity entity) {
        String argument = entity.argument().orElse("");
        return Optional.ofNullable(switch (entity.type()) {
            case "bold" -> simple("b");
            case "italic" -> simple("i");
            case "underline" -> simple("u");
            case "strikethrough" -> simple("s");
            case "spoiler" -> simple("tg-spoiler");
            case "code" -> simple("code");
            case "pre" -> argument.isEmpty() ? simple("pre")
                    : new String[] {"<pre><code class=\"language-" + attribute(argument) + "\">", "</code></pre>"};
            case "text_link" -> argument.isEmpty() ? null
                    : new String[] {"<a href=\"" + attribute(argument) + "\">", "</a>"};
            case "text_mention" -> argument.matches("\\d{1,19}")
                    ? new String[] {"<a href=\"tg://user?id=" + argument + "\">", "</a>"} : null;
            case "blockquote" -> simple("blockquote");
            case "expandable_blockquote" -> new String[] {"<blockquote expandable>", "</blockquote>"};
            case "custom_emoji" -> argument.matches("\\d{1,30}")
                    ? new String[] {"<tg-emoji emoji-id=\"" + argument + "\">", "</tg-emoji>"} : null;
            default -> null; // mention, hashtag, url, email, bot_command...: Telegram detects them again
        });
    }

    private static String[] simple(String tag) {
        return new String[] {"<" + tag + ">", "</" + tag + ">"};
    }

    /** Escapes the three characters HTML parse mode reserves. */
    static void escape(String text, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                default -> out.append(c);
            }
        }
    }

    private static String attribute(String value) {
        StringBuilder out = new StringBuilder();
        escape(value, 0, value.length(), out);
        return out.toString().replace("\"", "&quot;");
    }

    /** An entity placed on the text, with its tags; {@code order} keeps the sender's order among equals. */
    private record Span(int start, int end, String opening, String closing, int rank, int order) {
    }
}
