package org.forumgateway.i18n;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KoreanParticlesTest {
    @Test
    void pairedParticlesFollowTheFinalConsonant() {
        assertEquals("본회의를", KoreanParticles.resolve("본회의을(를)"));
        assertEquals("서울을", KoreanParticles.resolve("서울을(를)"));
        assertEquals("포럼은", KoreanParticles.resolve("포럼은(는)"));
        assertEquals("세미나는", KoreanParticles.resolve("세미나은(는)"));
        assertEquals("사무국이", KoreanParticles.resolve("사무국이(가)"));
        assertEquals("세미나가", KoreanParticles.resolve("세미나이(가)"));
        assertEquals("대표단과", KoreanParticles.resolve("대표단과(와)"));
        assertEquals("서포터즈와", KoreanParticles.resolve("서포터즈와(과)"));
    }

    @Test
    void euroTakesEuAfterAConsonantOtherThanRieul() {
        assertEquals("한국어로", KoreanParticles.resolve("한국어(으)로"));
        assertEquals("서울로", KoreanParticles.resolve("서울(으)로"));
        assertEquals("아스타나로", KoreanParticles.resolve("아스타나(으)로"));
        assertEquals("비슈케크로", KoreanParticles.resolve("비슈케크(으)로"));
        assertEquals("러시아어로", KoreanParticles.resolve("러시아어(으)로"));
        assertEquals("영국으로", KoreanParticles.resolve("영국(으)로"));
    }

    @Test
    void numbersAreReadInSinoKorean() {
        assertEquals("#1을", KoreanParticles.resolve("#1을(를)"));
        assertEquals("#2를", KoreanParticles.resolve("#2을(를)"));
        assertEquals("#3을", KoreanParticles.resolve("#3을(를)"));
        assertEquals("#10을", KoreanParticles.resolve("#10을(를)"), "십");
        assertEquals("#105를", KoreanParticles.resolve("#105을(를)"), "백오");
        assertEquals("1로", KoreanParticles.resolve("1(으)로"), "일 takes 로");
        assertEquals("6으로", KoreanParticles.resolve("6(으)로"));
    }

    @Test
    void closingTagsAndQuotesAreLookedThrough() {
        assertEquals("<b>아스타나</b>로", KoreanParticles.resolve("<b>아스타나</b>(으)로"));
        assertEquals("“XX”는", KoreanParticles.resolve("“XX”은(는)"));
        assertEquals("“본회의”를", KoreanParticles.resolve("“본회의”을(를)"));
    }

    @Test
    void textWithoutNotationIsUntouched() {
        assertEquals("아스타나(UTC+5) 시간", KoreanParticles.resolve("아스타나(UTC+5) 시간"));
        assertEquals("대기 (3번)", KoreanParticles.resolve("대기 (3번)"));
    }
}
