package org.forumgateway.delivery;

import java.util.Map;

/**
 * Where a notification's delivery stands.
 *
 * @param failures reasons of permanent failures, with how many messages failed for each
 */
public record Progress(int total, int sent, int pending, int blocked, int failed, int cancelled,
                       Map<String, Integer> failures) {

    public Progress {
        failures = Map.copyOf(failures);
    }

    public boolean isFinished() {
        return pending == 0;
    }

    public int done() {
        return sent + blocked + failed + cancelled;
    }
}
