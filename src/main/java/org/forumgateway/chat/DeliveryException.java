package org.forumgateway.chat;

/** A message could not be delivered; the message says why, without secrets. */
public final class DeliveryException extends RuntimeException {
    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
