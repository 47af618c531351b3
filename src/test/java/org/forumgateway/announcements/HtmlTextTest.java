package org.forumgateway.announcements;

import org.forumgateway.chat.FormattedText;
import org.forumgateway.chat.TextEntity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlTextTest {
    @Test
    void acceptsTelegramsTagsAndEntities() {
        assertEquals(Optional.empty(), HtmlText.check("<b>Bold</b> <a href=\"https://example.org\">x</a> &lt;3 &amp; more"));
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

    @Test
    void namesWhatIsWrong() {
        assertEquals(HtmlText.Problem.Kind.UNCLOSED_TAG, HtmlText.check("<b>open").orElseThrow().kind());
        assertEquals(HtmlText.Problem.Kind.UNSUPPORTED_TAG, HtmlText.check("<div>x</div>").orElseThrow().kind());
        assertEquals(HtmlText.Problem.Kind.UNEXPECTED_CLOSE, HtmlText.check("<b>x</i></b>").orElseThrow().kind());
        assertEquals(HtmlText.Problem.Kind.RESERVED_CHARACTER, HtmlText.check("1 < 2").orElseThrow().kind());
        assertEquals(HtmlText.Problem.Kind.RESERVED_CHARACTER, HtmlText.check("R&D").orElseThrow().kind());
        assertEquals(HtmlText.Problem.Kind.EMPTY, HtmlText.check("<b> </b>").orElseThrow().kind());
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
        String text = "<blockquote><b>" + "long formatted text ".repeat(400) + "</b></blockquote>";
        List<String> parts = HtmlText.split(text, 4096);
        assertTrue(parts.size() >= 2, parts.size() + " parts");
        for (String part : parts) {
            assertEquals(Optional.empty(), HtmlText.check(part), part.substring(0, 40));
            assertTrue(HtmlText.visibleLength(part) <= 4096);
        }
        assertTrue(parts.get(1).startsWith("<blockquote><b>"), parts.get(1).substring(0, 30));
    }
}
