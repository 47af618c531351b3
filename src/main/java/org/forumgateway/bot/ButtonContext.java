package org.forumgateway.bot;

import java.util.Optional;

/** Where a button was pressed: the callback to answer and the message that carried the button. */
record ButtonContext(String callbackId, Optional<Integer> messageId) {
}
