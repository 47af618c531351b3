package org.forumgateway.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fake Bot API's HTML check must accept and refuse what Telegram does, or tests prove nothing about it. */
class TelegramHtmlTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "<b>b</b> <strong>b</strong> <i>i</i> <em>i</em> <u>u</u> <ins>u</ins> <s>s</s> <strike>s</strike> <del>s</del>",
            "<span class=\"tg-spoiler\">secret</span> and <tg-spoiler>secret</tg-spoiler>",
            "<blockquote expandable>Long quotation\nhidden part</blockquote> <blockquote>short</blockquote>",
            "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
            "<tg-time unix=\"1647531900\" format=\"wDT\">22:45 tomorrow</tg-time>",
            "<pre><code class=\"language-python\">print(1)</code></pre> <code>x</code>",
            "<a href=\"tg://user?id=123456789\">mention</a> <a href=\"http://www.example.com/\">url</a>",
            "<B>Upper-case tags</B> <A HREF=\"https://example.org\">link</A>",
            "<a href='https://example.org'>single quotes</a> <span class=tg-spoiler>bare value</span>",
            "1 > 0, and R&D, and &nbsp;",
            "&quot;quoted&quot; &#9731; &#x1F600;",
            "<b>closed by an empty end tag</>",
            "<a href=\"javascript:alert(1)\">Telegram drops the link and keeps the text</a>",
            "&#9999999; is outside Unicode and shown as written",
    })
    void acceptsWhatTelegramAccepts(String html) {
        assertEquals(Optional.empty(), TelegramHtml.problem(html, 4096), html);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<div>x</div>", "1 < 2", "<b>open", "x</b>", "<b>x</i>", "<span>x</span>",
            "<span class=\"spoiler\">x</span>", "<tg-emoji emoji-id=\"abc\">x</tg-emoji>",
            "<a href=https://example.org>x</a>", "<a href=\"https://example.org>x</a>", "&#xD800; half a pair",
            "<b> </b>"})
    void refusesWhatTelegramRefuses(String html) {
        assertTrue(TelegramHtml.problem(html, 4096).isPresent(), html);
    }

    @Test
    void namesTheTagAndItsByteOffsetLikeTelegram() {
        assertEquals(Optional.of("Bad Request: can't parse entities: Unsupported start tag \"div\" at byte offset 7"),
                TelegramHtml.problem("Приx<div>", 4096), "three Cyrillic letters are six bytes");
    }

    @Test
    void showsWhatTelegramShows() {
        TelegramHtml.Parsed parsed = TelegramHtml.parse(
                "<a href=\"javascript:alert(1)\">x</a> <a href='https://example.org'>y</a> &#9999999; R&D &lt;");
        assertEquals("x y &#9999999; R&D <", parsed.text());
        assertEquals(List.of("https://example.org"), parsed.links());
    }

    @Test
    void countsTheLengthAfterParsing() {
        assertEquals(Optional.empty(), TelegramHtml.problem("<b>" + "&amp;".repeat(4096) + "</b>", 4096));
        assertEquals(Optional.of("Bad Request: message is too long"),
                TelegramHtml.problem("&#128512;".repeat(2049), 4096), "an emoji is two UTF-16 units");
    }
}
