package org.forumgateway.delivery;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where one recipient of a notification stands, over everything queued for them (the parts of a split text):
 * queued while any part still is; else blocked, failed or cancelled if any part was, in that order;
 * sent when every part was. The API's counts and its list of deliveries both say it.
 */
public enum RecipientState {
    QUEUED, BLOCKED, FAILED, CANCELLED, SENT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RecipientState fromCode(String code) {
        return Arrays.stream(values()).filter(state -> state.code().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no recipient state " + code));
    }

    /**
     * The rule in SQL, for a query grouped by recipient over outbox rows whose columns carry {@code prefix}
     * ({@code "o."}, or {@code ""}); it gives the state's {@link #code()}.
     */
    public static String sql(String prefix) {
        String status = prefix + "status";
        return """
                CASE WHEN sum(%1$s IN ('%2$s', '%3$s')) > 0 THEN '%7$s'
                     WHEN sum(%1$s = '%4$s') > 0 THEN '%8$s'
                     WHEN sum(%1$s = '%5$s') > 0 THEN '%9$s'
                     WHEN sum(%1$s = '%6$s') > 0 THEN '%10$s'
                     ELSE '%11$s' END""".formatted(status, OutboxStatus.PENDING.code(), OutboxStatus.IN_FLIGHT.code(),
                OutboxStatus.BLOCKED.code(), OutboxStatus.FAILED.code(), OutboxStatus.CANCELLED.code(),
                QUEUED.code(), BLOCKED.code(), FAILED.code(), CANCELLED.code(), SENT.code());
    }
}
