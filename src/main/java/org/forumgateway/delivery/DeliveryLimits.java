package org.forumgateway.delivery;

import java.time.Duration;

/**
 * How fast the engine may send. Telegram's defaults: about 30 messages a second overall, one a second in a chat
 * (short bursts tolerated), 20 a minute in a group.
 *
 * @param maxInFlight requests on the wire at once; with 50-150 ms per request a high rate needs several
 * @param maxAttempts tries for a message that keeps failing transiently before it is given up
 */
public record DeliveryLimits(double perSecond, double perChatPerSecond, int perChatBurst, double groupPerMinute,
                             int maxInFlight, int maxAttempts, Duration firstRetry, Duration maxRetry) {

    public static DeliveryLimits telegramDefaults() {
        return new DeliveryLimits(30, 1, 3, 20, 64, 8, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    public DeliveryLimits withMaxInFlight(int requests) {
        return new DeliveryLimits(perSecond, perChatPerSecond, perChatBurst, groupPerMinute, requests, maxAttempts,
                firstRetry, maxRetry);
    }

    public DeliveryLimits withRetries(Duration first, Duration max) {
        return new DeliveryLimits(perSecond, perChatPerSecond, perChatBurst, groupPerMinute, maxInFlight, maxAttempts,
                first, max);
    }

    public DeliveryLimits withMaxAttempts(int attempts) {
        return new DeliveryLimits(perSecond, perChatPerSecond, perChatBurst, groupPerMinute, maxInFlight, attempts,
                firstRetry, maxRetry);
    }

    public DeliveryLimits withRates(double perSecond, double perChatPerSecond, double groupPerMinute) {
        return new DeliveryLimits(perSecond, perChatPerSecond, perChatBurst, groupPerMinute, maxInFlight, maxAttempts,
                firstRetry, maxRetry);
    }
}
