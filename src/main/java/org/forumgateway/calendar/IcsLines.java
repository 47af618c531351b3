package org.forumgateway.calendar;

/**
 * Line folding as RFC 5545 (3.1) asks: content lines of at most 75 octets, continued on lines that start with a
 * space, never splitting a character. ical4j folds at 73 characters, so a Korean or Cyrillic title ran to some 200
 * octets; strict parsers may refuse such lines.
 */
final class IcsLines {
    static final int MAX_OCTETS = 75;
    private static final String CRLF = "\r\n";

    private IcsLines() {
    }

    /** {@code ics} unfolded, then folded again by octets. */
    static String refold(String ics) {
        String unfolded = ics.replace(CRLF + " ", "").replace(CRLF + "\t", "");
        StringBuilder out = new StringBuilder(unfolded.length() + unfolded.length() / 32);
        for (String line : unfolded.split(CRLF, -1)) {
            if (!line.isEmpty()) {
                fold(line, out);
                out.append(CRLF);
            }
        }
        return out.toString();
    }

    private static int utf8Octets(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    private static void fold(String line, StringBuilder out) {
        int octets = 0;
        int i = 0;
        while (i < line.length()) {
            int codePoint = line.codePointAt(i);
            int width = utf8Octets(codePoint);
            if (octets + width > MAX_OCTETS) {
                out.append(CRLF).append(' ');
                octets = 1; // the space that continues the line counts
            }
            out.appendCodePoint(codePoint);
            octets += width;
            i += Character.charCount(codePoint);
        }
    }
}
