package org.forumgateway.announcements;

import org.forumgateway.chat.FormattedText;
import org.forumgateway.chat.TextEntity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlTextTest {
    /** What the Bot API's HTML parse mode accepts (its "Formatting options" list, read as tdlib reads it). */
    @Nested
    class AcceptsWhatTelegramAccepts {
        @ParameterizedTest
        @ValueSource(strings = {
                "<b>Bold</b> <a href=\"https://example.org\">x</a> &lt;3 &amp; more",
                "<b>b</b> <strong>b</strong> <i>i</i> <em>i</em> <u>u</u> <ins>u</ins> <s>s</s> <strike>s</strike> <del>s</del>",
                "<span class=\"tg-spoiler\">secret</span> and <tg-spoiler>secret</tg-spoiler>",
                "<blockquote expandable>Long quotation\nhidden part</blockquote>",
                "<blockquote>Quotation</blockquote>",
                "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji> thumbs",
                "<tg-time unix=\"1647531900\" format=\"wDT\">22:45 tomorrow</tg-time>",
                "<pre><code class=\"language-python\">print(1)</code></pre> <code>x</code> <pre>y</pre>",
                "<a href=\"tg://user?id=123456789\">mention</a> <a href=\"http://www.example.com/\">url</a>",
                "<B>Upper-case tags</B> <A HREF=\"https://example.org\">link</A>",
                "<a href='https://example.org'>single quotes</a>",
                "<span class=tg-spoiler>bare attribute value</span>",
                "1 > 0, and R&D, and AT&T",
                "&quot;quoted&quot; &#9731; &#x1F600; &#128512;",
                "<b>closed by an empty end tag</>",
                "<a href=\"https://example.org/?a=1&amp;b=2\">query</a>",
        })
        void accepts(String html) {
            assertEquals(Optional.empty(), HtmlText.check(html), html);
        }
    }

    @Test
    void acceptsWhatFormattingFromTheToolbarBecomes() {
        String html = new FormattedText("🎉 Форум 포럼 <&> code quote more 👍 link", List.of(
                new TextEntity("bold", 0, 8), new TextEntity("italic", 3, 10), new TextEntity("code", 18, 4),
                new TextEntity("pre", 18, 4, Optional.of("java")), new TextEntity("blockquote", 23, 5),
                new TextEntity("expandable_blockquote", 29, 4), new TextEntity("spoiler", 29, 2),
                new TextEntity("custom_emoji", 34, 2, Optional.of("5368324170671202286")),
                new TextEntity("text_link", 37, 4, Optional.of("https://kcaf.or.kr")))).html();
        assertEquals(Optional.empty(), HtmlText.check(html), html);
    }

    @Nested
    class RefusesWhatTelegramRefusesOrWouldShowWrongly {
        @Test
        void unsupportedTagsAreNamed() {
            assertEquals(new HtmlText.Problem(HtmlText.Problem.Kind.UNSUPPORTED_TAG, "<div>"),
                    HtmlText.check("<DIV>x</DIV>").orElseThrow());
            assertEquals(HtmlText.Problem.Kind.UNSUPPORTED_TAG, HtmlText.check("line<br>break").orElseThrow().kind());
        }

        @Test
        void nestingMistakesAreNamed() {
            assertEquals(HtmlText.Problem.Kind.UNCLOSED_TAG, HtmlText.check("<b>open").orElseThrow().kind());
            assertEquals(HtmlText.Problem.Kind.UNEXPECTED_CLOSE, HtmlText.check("<b>x</i></b>").orElseThrow().kind());
            assertEquals(HtmlText.Problem.Kind.UNEXPECTED_CLOSE, HtmlText.check("x</b>").orElseThrow().kind());
        }

        @Test
        void aBareLessThanIsReserved() {
            assertEquals(new HtmlText.Problem(HtmlText.Problem.Kind.RESERVED_CHARACTER, "<"),
                    HtmlText.check("1 < 2").orElseThrow());
            assertEquals(HtmlText.Problem.Kind.RESERVED_CHARACTER, HtmlText.check("I <3 it").orElseThrow().kind());
        }

        @ParameterizedTest
        @ValueSource(strings = {"<a href=\"javascript:alert(1)\">x</a>", "<a href='JavaScript:void(0)'>x</a>",
                "<a href=\"mailto:someone@example.org\">x</a>", "<a href=\"file:///etc/passwd\">x</a>",
                "<a>javascript:alert(1)</a>"})
        void linksOtherThanHttpHttpsAndTgAreRefused(String html) {
            assertEquals(HtmlText.Problem.Kind.UNSAFE_LINK, HtmlText.check(html).orElseThrow().kind(), html);
        }

        @ParameterizedTest
        @ValueSource(strings = {"&#9999999;", "&#1114111;", "&#xD800;", "&#0;", "&#X41;", "&nbsp;", "&apos;"})
        void entitiesTelegramDoesNotDecodeAreRefused(String entity) {
            assertEquals(HtmlText.Problem.Kind.BAD_ENTITY, HtmlText.check("a " + entity + " b").orElseThrow().kind(),
                    entity);
        }

        @ParameterizedTest
        @ValueSource(strings = {"<span>x</span>", "<span class=\"spoiler\">x</span>", "<tg-emoji>x</tg-emoji>",
                "<tg-emoji emoji-id=\"abc\">x</tg-emoji>", "<tg-emoji emoji-id=\"0\">x</tg-emoji>",
                "<a href=\"https://example.org>x</a>", "<a href=https://example.org>x</a>",
                "<tg-time unix=\"soon\">x</tg-time>"})
        void malformedAttributesAreRefused(String html) {
            assertEquals(HtmlText.Problem.Kind.BAD_ATTRIBUTE, HtmlText.check(html).orElseThrow().kind(), html);
        }

        @Test
        void theTextOfALinkWithoutHrefIsCheckedAsItsAddressAfterTheTagsInsideIt() {
            assertEquals(Optional.empty(), HtmlText.check("see <a><b>https://</b>example.org</a> and <a>tg://x</a>"));
            assertEquals(new HtmlText.Problem(HtmlText.Problem.Kind.UNSAFE_LINK, "javascript:x"),
                    HtmlText.check("<a>https://ok.example</a> <a><i>javascript:</i>x</a>").orElseThrow());
        }

        @Test
        void aLinkInsideALinkIsRefusedWhereverItOpens() {
            assertEquals(new HtmlText.Problem(HtmlText.Problem.Kind.LINK_IN_LINK, "<a>"),
                    HtmlText.check("<a href=\"https://a.example\">one <b><a>two</a></b></a>").orElseThrow());
            // Tens of thousands of them, as a request body can carry, are refused at the second.
            String nested = "<a>".repeat(40_000) + "x" + "</a>".repeat(40_000);
            assertEquals(HtmlText.Problem.Kind.LINK_IN_LINK, HtmlText.check(nested).orElseThrow().kind());
        }

        @Test
        void atMostSixteenTagsMayBeOpenAtOnce() {
            String sixteen = "<b>".repeat(HtmlText.MAX_OPEN_TAGS) + "x" + "</b>".repeat(HtmlText.MAX_OPEN_TAGS);
            assertEquals(Optional.empty(), HtmlText.check(sixteen));
            assertEquals(new HtmlText.Problem(HtmlText.Problem.Kind.TOO_DEEP, "<i>"),
                    HtmlText.check("<b>".repeat(HtmlText.MAX_OPEN_TAGS) + "<i>x</i>" + "</b>".repeat(16)).orElseThrow());
        }

        @Test
        void aTextWithNothingVisibleIsEmpty() {
            assertEquals(HtmlText.Problem.Kind.EMPTY, HtmlText.check("<b> </b>").orElseThrow().kind());
        }
    }

    @Nested
    class CountsLikeTelegram {
        @Test
        void tagsCountNothingAndEntitiesCountWhatTheyStandFor() {
            assertEquals(6, HtmlText.visibleLength("<b>a&amp;b</b> &lt;3"));
            assertEquals(2, HtmlText.visibleLength("&#128512;"), "an emoji outside the BMP is two UTF-16 units");
            assertEquals(3, HtmlText.visibleLength("R&D"));
            assertEquals(4, HtmlText.visibleLength("<a href=\"https://x.org/?q=>\">link</a>"), "a '>' inside quotes");
        }

        @Test
        void aTextOfManyEntitiesFitsInOneMessageWhenItsParsedLengthDoes() {
            String text = "&amp;".repeat(4000);
            assertEquals(1, HtmlText.split(text, HtmlText.MAX_MESSAGE).size());
        }
    }

    @Test
    void splitsAtParagraphsWhenItCan() {
        String paragraph = "word ".repeat(300).strip();
        List<String> parts = HtmlText.split(paragraph + "\n\n" + paragraph + "\n\n" + paragraph, 4096);
        assertEquals(2, parts.size());
        assertTrue(parts.get(0).endsWith("word") && !parts.get(0).contains("\n\n\n"));
        parts.forEach(part -> assertTrue(HtmlText.visibleLength(part) <= 4096));
    }

    @Test
    void aCutInsideFormattingClosesAndReopensTheTags() {
        String text = "<blockquote expandable><a href='https://example.org'>" + "long formatted text ".repeat(400)
                + "</a></blockquote>";
        List<String> parts = HtmlText.split(text, 4096);
        assertTrue(parts.size() >= 2, parts.size() + " parts");
        for (String part : parts) {
            assertEquals(Optional.empty(), HtmlText.check(part), part.substring(0, 40));
            assertTrue(HtmlText.visibleLength(part) <= 4096);
        }
        assertTrue(parts.get(1).startsWith("<blockquote expandable><a href='https://example.org'>"),
                parts.get(1).substring(0, 60));
    }

    @Test
    void emojiAreNeverCutInHalf() {
        String text = "😀".repeat(3000);
        List<String> parts = HtmlText.split(text, 4096);
        assertEquals(2, parts.size());
        parts.forEach(part -> assertTrue(part.codePoints().allMatch(c -> c == 0x1F600), "whole emoji only"));
        assertEquals(4096, HtmlText.visibleLength(parts.get(0)));
    }
}
