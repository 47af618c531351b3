package org.forumgateway.storage;

import java.util.List;

/** The first word of an SQL statement, read cheaply: it is asked for every statement the process runs. */
final class LeadingKeyword {
    private LeadingKeyword() {
    }

    /**
     * Whether {@code sql}, after leading whitespace, starts with one of {@code keywords} (in any case) followed by
     * something other than a letter. A leading comment or {@code WITH} hides the statement's real verb.
     */
    static boolean in(String sql, List<String> keywords) {
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        for (String keyword : keywords) {
            int end = start + keyword.length();
            if (sql.regionMatches(true, start, keyword, 0, keyword.length())
                    && (end == sql.length() || !Character.isLetter(sql.charAt(end)))) {
                return true;
            }
        }
        return false;
    }
}
