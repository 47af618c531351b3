package org.forumgateway.i18n;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Korean particles that depend on the word before them (을/를, 은/는, 이/가, 과/와, 으로/로, 이라는/라는...).
 * Messages write the dictionary notation after a placeholder ({@code {title}을(를)}, {@code {language}(으)로}); once
 * the values are in, this picks the form the preceding word takes, from its final consonant (batchim), so
 * readers never see the notation itself.
 */
final class KoreanParticles {
    /** Paired forms, the form after a consonant first: 을(를) and 를(을) mean the same choice. */
    private static final List<String[]> PAIRS = List.of(
            new String[]{"을", "를"}, new String[]{"은", "는"}, new String[]{"이", "가"}, new String[]{"과", "와"});
    private static final Pattern NOTATION = Pattern.compile("(을|를|은|는|이|가|과|와)\\((을|를|은|는|이|가|과|와)\\)|\\((으|이)\\)");
    /** Characters a particle looks through to the word: closing tags and quotes, entities. */
    private static final Pattern TRAILING_MARKUP = Pattern.compile("(?:</?[a-zA-Z][^<>]*>|[\"'”’»」』)\\]])+$");
    private static final int HANGUL_FIRST = 0xAC00;
    private static final int HANGUL_LAST = 0xD7A3;
    private static final int RIEUL = 8;

    private KoreanParticles() {
    }

    /** {@code text} with every particle notation replaced by the form the word before it takes. */
    static String resolve(String text) {
        if (text.indexOf('(') < 0) {
            return text;
        }
        Matcher matcher = NOTATION.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (matcher.find()) {
            out.append(text, copied, matcher.start());
            Ending ending = endingBefore(out);
            if (matcher.group(3) != null) {
                // (으)로: 으 after a consonant except ㄹ; (이)라는, (이)며: 이 after a consonant.
                boolean keep = matcher.group(3).equals("으") ? ending.consonant && !ending.rieul : ending.consonant;
                out.append(keep ? matcher.group(3) : "");
            } else {
                out.append(choose(matcher.group(1), matcher.group(2), ending.consonant));
            }
            copied = matcher.end();
        }
        out.append(text, copied, text.length());
        return out.toString();
    }

    private static String choose(String first, String second, boolean afterConsonant) {
        for (String[] pair : PAIRS) {
            if ((pair[0].equals(first) && pair[1].equals(second)) || (pair[1].equals(first) && pair[0].equals(second))) {
                return afterConsonant ? pair[0] : pair[1];
            }
        }
        return first;
    }

    /** How the word before the end of {@code text} ends, looking through closing tags and quotes. */
    static Ending endingBefore(CharSequence text) {
        String before = TRAILING_MARKUP.matcher(text).replaceFirst("");
        if (before.isEmpty()) {
            return new Ending(false, false);
        }
        int last = before.codePointBefore(before.length());
        if (last >= HANGUL_FIRST && last <= HANGUL_LAST) {
            int finalConsonant = (last - HANGUL_FIRST) % 28;
            return new Ending(finalConsonant != 0, finalConsonant == RIEUL);
        }
        if (last >= '0' && last <= '9') {
            // Read as Sino-Korean numbers: 영 일 이 삼 사 오 육 칠 팔 구; 10 십, 100 백, 1000 천.
            String digits = before.replaceAll(".*?([0-9]+)$", "$1");
            return numberEnding(digits);
        }
        if (Character.isLetter(last) && last < 0x80) {
            // Latin words as Koreans read them aloud: a final l, m, n (and "ng") leaves a batchim.
            char letter = Character.toLowerCase((char) last);
            return new Ending(letter == 'l' || letter == 'm' || letter == 'n' || letter == 'g' && before.toLowerCase()
                    .endsWith("ng"), letter == 'l');
        }
        return new Ending(false, false);
    }

    private static Ending numberEnding(String digits) {
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        int lastNonZero = trimmed.length() - 1;
        while (lastNonZero > 0 && trimmed.charAt(lastNonZero) == '0') {
            lastNonZero--;
        }
        int zeros = trimmed.length() - 1 - lastNonZero;
        if (trimmed.equals("0")) {
            return new Ending(true, false); // 영
        }
        if (zeros > 0) {
            // 십 (ㅂ), 백 (ㄱ), 천 (ㄴ), 만 (ㄴ): all end in a consonant, none in ㄹ.
            return new Ending(true, false);
        }
        return switch (trimmed.charAt(trimmed.length() - 1)) {
            case '1', '7', '8' -> new Ending(true, true); // 일, 칠, 팔
            case '3', '6' -> new Ending(true, false); // 삼, 육
            default -> new Ending(false, false); // 이, 사, 오, 구
        };
    }

    /** Whether a word ends in a consonant, and whether that consonant is ㄹ (which takes 로, not 으로). */
    record Ending(boolean consonant, boolean rieul) {
    }
}
