package org.forumgateway.chat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EntityHtmlTest {

    private static String html(String text, TextEntity... entities) {
        return new FormattedText(text, List.of(entities)).html();
    }

    private static TextEntity entity(String type, int offset, int length) {
        return new TextEntity(type, offset, length);
    }

    private static TextEntity entity(String type, int offset, int length, String argument) {
        return new TextEntity(type, offset, length, Optional.of(argument));
    }

    @Test
    void plainTextIsEscaped() {
        assertEquals("1 &lt; 2 &amp;&amp; 3 &gt; 2", html("1 < 2 && 3 > 2"));
    }

    @Nested
    class EveryKind {
        @Test
        void inlineStyles() {
            assertEquals("<b>a</b><i>b</i><u>c</u><s>d</s><tg-spoiler>e</tg-spoiler><code>f</code>",
                    html("abcdef", entity("bold", 0, 1), entity("italic", 1, 1), entity("underline", 2, 1),
                            entity("strikethrough", 3, 1), entity("spoiler", 4, 1), entity("code", 5, 1)));
        }

        @Test
        void preWithAndWithoutLanguage() {
            assertEquals("<pre><code class=\"language-java\">int a = 1 &lt; 2;</code></pre>\n<pre>x</pre>",
                    html("int a = 1 < 2;\nx", entity("pre", 0, 14, "java"), entity("pre", 15, 1)));
        }

        @Test
        void linksAndMentionsById() {
            assertEquals("<a href=\"https://kcaf.or.kr/?a=1&amp;b=&quot;2&quot;\">Forum</a> "
                            + "<a href=\"tg://user?id=7201\">Айгерим</a>",
                    html("Forum Айгерим", entity("text_link", 0, 5, "https://kcaf.or.kr/?a=1&b=\"2\""),
                            entity("text_mention", 6, 7, "7201")));
        }

        @Test
        void blockquotesAndCustomEmoji() {
            assertEquals("<blockquote>q</blockquote><blockquote expandable>long</blockquote>"
                            + "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
                    html("qlong👍", entity("blockquote", 0, 1), entity("expandable_blockquote", 1, 4),
                            entity("custom_emoji", 5, 2, "5368324170671202286")));
        }

        @Test
        void entitiesTelegramDetectsItselfStayText() {
            assertEquals("@forum #kcaf https://kcaf.or.kr /help",
                    html("@forum #kcaf https://kcaf.or.kr /help", entity("mention", 0, 6), entity("hashtag", 7, 5),
                            entity("url", 13, 17), entity("bot_command", 31, 5)));
        }

        @Test
        void aLinkOrMentionWithoutItsArgumentIsLeftPlain() {
            assertEquals("link me", html("link me", entity("text_link", 0, 4), entity("text_mention", 5, 2, "x")));
        }
    }

    @Nested
    class Nesting {
        @Test
        void nestedEntitiesNest() {
            assertEquals("<b>Пленарное <i>заседание</i></b> в 10:00",
                    html("Пленарное заседание в 10:00", entity("bold", 0, 19), entity("italic", 10, 9)));
        }

        @Test
        void sameRangeKeepsTheSendersOrder() {
            assertEquals("<b><i>포럼</i></b>", html("포럼", entity("bold", 0, 2), entity("italic", 0, 2)));
        }

        @Test
        void overlappingEntitiesAreCutIntoNestedTags() {
            // bold "abcd", italic "cdef": italic is closed and reopened around the end of bold.
            assertEquals("ab<b>ab<i>cd</i></b><i>ef</i>",
                    html("ababcdef", entity("bold", 2, 4), entity("italic", 4, 4)));
        }

        @Test
        void blockquoteStaysOutsideInlineFormattingStartingWithIt() {
            assertEquals("<blockquote><b>Итог</b> форума</blockquote>",
                    html("Итог форума", entity("bold", 0, 4), entity("blockquote", 0, 11)));
        }

        @Test
        void threeOverlappingEntities() {
            // underline lasts longest from "3" on, so it goes outside the reopened italic.
            assertEquals("<b>1<i>2</i></b><u><i>3</i>4</u>",
                    html("1234", entity("bold", 0, 2), entity("italic", 1, 2), entity("underline", 2, 2)));
        }
    }

    @Nested
    class Utf16 {
        @Test
        void emojiBeforeEntitiesCountTwoUnits() {
            // 🎉 is a surrogate pair, 🇰🇿 two of them: "Форум" starts at 3, "Астана" at 19.
            assertEquals("🎉 <b>Форум</b> 2026 🇰🇿 <i>Астана</i>",
                    html("🎉 Форум 2026 🇰🇿 Астана", entity("bold", 3, 5), entity("italic", 19, 6)));
        }

        @Test
        void koreanWithEmojiAndNestedSpoiler() {
            String text = "📢 한-중앙아 <협력> 포럼 & 서포터즈";
            assertEquals("📢 <b>한-중앙아 <tg-spoiler>&lt;협력&gt;</tg-spoiler></b> 포럼 &amp; 서포터즈",
                    html(text, entity("bold", 3, 10), entity("spoiler", 9, 4)));
        }

        @Test
        void anEntityEndingInsideASurrogatePairTakesTheWholeCharacter() {
            assertEquals("<b>a😀</b>b", html("a😀b", entity("bold", 0, 2)));
        }

        @Test
        void entitiesPastTheEndAreCutToTheText() {
            assertEquals("x<b>yz</b>", html("xyz", entity("bold", 1, 40), entity("italic", 9, 3)));
        }
    }
}
