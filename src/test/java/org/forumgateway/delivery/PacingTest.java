package org.forumgateway.delivery;

import org.forumgateway.chat.DeliveryResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pacing rules, driven by a fake ticker and clock: no thread, no sleeping, no database. */
class PacingTest {
    private static final DeliveryResult DELIVERED = new DeliveryResult.Delivered(Optional.of(1));
    private static final DeliveryLimits TELEGRAM = DeliveryLimits.telegramDefaults();
    /** Telegram's limits per chat and group, with the global rate high enough to stay out of the way. */
    private static final DeliveryLimits ROOMY = TELEGRAM.withRates(1_000, 1, 20);

    private final FakeTime time = new FakeTime();
    private long nextRowId = 1;

    private Pacing pacing(DeliveryLimits limits) {
        return new Pacing(limits, time, time.clock(), new FixedJitter(0.5));
    }

    private OutboxRow row(long chat) {
        return row(chat, "send", 0, time.clock().instant());
    }

    private OutboxRow row(long chat, String method, int attempts, Instant due) {
        return new OutboxRow(nextRowId++, Optional.empty(), chat, Outbox.BULK, method, attempts, due);
    }

    private OutboxRow reply(long chat) {
        return new OutboxRow(nextRowId++, Optional.empty(), chat, Outbox.INTERACTIVE, "send", 0,
                time.clock().instant());
    }

    /** Puts {@code reply} after the window's interactive rows and before its bulk ones, as the queue orders them. */
    private static void queueReply(List<OutboxRow> window, OutboxRow reply) {
        int at = 0;
        while (at < window.size() && window.get(at).priority() == Outbox.INTERACTIVE) {
            at++;
        }
        window.add(at, reply);
    }

    private List<OutboxRow> oneEach(long firstChat, int chats) {
        List<OutboxRow> rows = new ArrayList<>();
        LongStream.range(firstChat, firstChat + chats).forEach(chat -> rows.add(row(chat)));
        return rows;
    }

    private List<OutboxRow> several(long chat, int count) {
        List<OutboxRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row(chat));
        }
        return rows;
    }

    /**
     * Runs the policy in steps of a millisecond for {@code duration}, Telegram accepting each message at once.
     *
     * @return when each row was claimed, in milliseconds from the start, in the order claimed
     */
    private Map<Long, Long> run(Pacing pacing, List<OutboxRow> window, Duration duration) {
        Map<Long, Long> claimedAt = new LinkedHashMap<>();
        for (long millis = 0; millis < duration.toMillis() && !window.isEmpty(); millis++) {
            for (OutboxRow row : pacing.claim(window, 0)) {
                claimedAt.put(row.id(), millis);
                pacing.judge(row, DELIVERED);
                pacing.settled(row);
            }
            time.advanceMillis(1);
        }
        return claimedAt;
    }

    private static List<Long> times(Map<Long, Long> claimedAt) {
        return new ArrayList<>(claimedAt.values());
    }

    /** The most claims seen in any {@code span} of time. */
    private static long busiest(List<Long> times, Duration span) {
        long most = 0;
        for (long start : times) {
            most = Math.max(most, times.stream().filter(t -> t >= start && t < start + span.toMillis()).count());
        }
        return most;
    }

    private static List<Long> gaps(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps;
    }

    @Nested
    class Rates {
        @Test
        void globalRateHoldsInEverySecondAfterASmallBurst() {
            Pacing pacing = pacing(TELEGRAM.withRates(40, 1, 20));
            List<Long> times = times(run(pacing, oneEach(1, 200), Duration.ofSeconds(3)));
            // A burst of a tenth of a second's messages, then the rate.
            assertTrue(busiest(times, Duration.ofSeconds(1)) <= 44, "busiest second: " + busiest(times, Duration.ofSeconds(1)));
            assertTrue(times.size() >= 120, "40/s for 3 s, sent " + times.size());
            assertTrue(times.size() <= 124, "40/s for 3 s, sent " + times.size());
        }

        @Test
        void aRoundThatWakesATenthOfASecondLateLosesNothingOfTheRate() {
            Pacing pacing = pacing(TELEGRAM);
            List<OutboxRow> window = oneEach(1, 2_000);
            run(pacing, window, Duration.ofSeconds(1)); // the saved burst is spent: each token goes as it comes
            int sent = 0;
            for (int second = 0; second < 10; second++) {
                time.advanceMillis(90); // the engine's thread was not scheduled for 90 ms
                sent += run(pacing, window, Duration.ofMillis(910)).size();
            }
            assertTrue(sent >= 10 * 30 - 1, "ten seconds at 30/s, each with a round 90 ms late: " + sent);
        }

        @Test
        void aChatGetsABurstOfThreeThenOneASecondInOrder() {
            Pacing pacing = pacing(ROOMY);
            List<OutboxRow> rows = several(777, 6);
            List<Long> ids = rows.stream().map(OutboxRow::id).toList();
            Map<Long, Long> claimedAt = run(pacing, new ArrayList<>(rows), Duration.ofSeconds(10));

            assertEquals(ids, List.copyOf(claimedAt.keySet()), "a chat's messages go in queue order");
            List<Long> times = times(claimedAt);
            assertTrue(times.get(2) < 10, "the burst of three goes at once: " + times);
            for (long gap : gaps(times).subList(2, 5)) {
                // One a second, spaced a tenth wider to stay clear of Telegram's exact limit.
                assertTrue(gap >= 1_000 && gap <= 1_120, "then one a second: " + times);
            }
        }

        @Test
        void aGroupGetsTwentyAMinuteCountingItsBurst() {
            Pacing pacing = pacing(ROOMY);
            Map<Long, Long> claimedAt = run(pacing, several(-100_123, 60), Duration.ofMinutes(3));
            List<Long> times = times(claimedAt);
            // Any minute, both its ends included, the burst with it: the strictest reading of "20 a minute", kept a
            // tenth clear of the limit like every rate, since messages reach Telegram with network jitter.
            long busiest = times.stream().mapToLong(start -> times.stream()
                    .filter(t -> t >= start && t <= start + 60_000).count()).max().orElseThrow();
            assertTrue(busiest <= 18, "busiest minute: " + busiest + " in " + times);
            assertTrue(times.size() >= 45, "three minutes at about 20 a minute, sent " + times.size());
        }

        @Test
        void aHigherPerMinuteSettingNeverSendsLessAndNoMinuteHoldsMoreThanIt() {
            long sentBefore = 0;
            for (double perMinute : List.of(1.0, 2.0, 7.9, 8.0, 11.9, 12.0, 20.0, 60.0)) {
                Pacing pacing = pacing(TELEGRAM.withRates(1_000, 1, perMinute));
                List<Long> times = times(run(pacing, several(-100_123, 200), Duration.ofMinutes(3)));
                long busiest = times.stream().mapToLong(start -> times.stream()
                        .filter(t -> t >= start && t <= start + 60_000).count()).max().orElseThrow();
                assertTrue(busiest <= (long) perMinute, perMinute + " a minute, busiest minute " + busiest);
                assertTrue(times.size() >= sentBefore, perMinute + " a minute sent " + times.size()
                        + " in three minutes, fewer than the setting below it: " + sentBefore);
                sentBefore = times.size();
            }
        }

        @Test
        void aButtonAnswerSpendsNoChatToken() {
            Pacing pacing = pacing(ROOMY);
            run(pacing, several(5, 3), Duration.ofMillis(10)); // the chat's burst is spent
            List<OutboxRow> window = new ArrayList<>(List.of(row(5, "answer", 0, time.clock().instant())));
            assertEquals(1, pacing.claim(window, 0).size());
        }

        @Test
        void noMoreThanTheMaximumInFlightAtOnce() {
            Pacing pacing = pacing(TELEGRAM.withRates(1_000, 1, 20).withMaxInFlight(4));
            assertEquals(3, pacing.claim(oneEach(1, 10), 1).size());
            assertEquals(0, pacing.claim(oneEach(100, 10), 4).size());
        }
    }

    @Nested
    class Replies {
        /** 30/s, Telegram's default: a tenth of a second's worth would be 3; the credit stops at 2. */
        private final DeliveryLimits limits = TELEGRAM;

        @Test
        void aReplyDuringASaturatingBroadcastIsClaimedAtOnce() {
            Pacing pacing = pacing(limits);
            List<OutboxRow> window = oneEach(1_000, 5_000);
            run(pacing, window, Duration.ofSeconds(2)); // the bucket is empty: each token goes as it comes
            for (int i = 0; i < 5; i++) {
                OutboxRow reply = reply(1 + i);
                queueReply(window, reply);
                assertTrue(pacing.claim(window, 0).contains(reply), "reply " + i + " claimed in the same tick");
                pacing.judge(reply, DELIVERED);
                pacing.settled(reply);
                run(pacing, window, Duration.ofMillis(400)); // the broadcast goes on, repaying the debt
            }
        }

        @Test
        void overAMinuteRepliesAndABroadcastStayWithinTheRatePlusTheBoundedCredit() {
            Pacing pacing = pacing(limits);
            List<OutboxRow> window = oneEach(100_000, 5_000);
            List<Long> times = new ArrayList<>();
            int replies = 0;
            for (long millis = 0; millis < 60_000; millis++) {
                OutboxRow reply = null;
                if (millis % 150 == 0) { // a reply every 150 ms, each from another chat: a busy conference
                    reply = reply(1 + replies++);
                    queueReply(window, reply);
                }
                List<OutboxRow> claimed = pacing.claim(window, 0);
                if (reply != null) {
                    assertTrue(claimed.contains(reply), "the reply at " + millis + " ms went at once");
                }
                for (OutboxRow row : claimed) {
                    times.add(millis);
                    pacing.judge(row, DELIVERED);
                    pacing.settled(row);
                }
                time.advanceMillis(1);
            }
            // The rate's minute, the bucket's burst (3) and the replies' credit (2), nothing more.
            assertTrue(times.size() <= 60 * 30 + 3 + 2, "sent in a minute: " + times.size());
            assertTrue(times.size() >= 60 * 30 - 1, "the broadcast used what the replies left: " + times.size());
            long busiest = busiest(times, Duration.ofSeconds(1));
            assertTrue(busiest <= 30 + 3 + 2, "busiest second: " + busiest);
        }

        @Test
        void repliesBeyondTheCreditWaitForTheRate() {
            Pacing pacing = pacing(limits);
            List<OutboxRow> window = oneEach(1_000, 5_000);
            // Ending just after a token was taken, so the bucket is empty, not about to hold a whole token.
            run(pacing, window, Duration.ofMillis(2_010));
            for (int chat = 1; chat <= 10; chat++) {
                queueReply(window, reply(chat));
            }
            assertEquals(2, pacing.claim(window, 0).size(), "an empty bucket lends two tokens, no more");
            long wait = pacing.nanosToWait(true);
            // The next reply waits for one token (at most 1/30 s), not for the debt to be repaid as bulk rows must.
            assertTrue(wait <= 34_000_000, "waits " + wait + " ns");
        }

        @Test
        void bulkAloneStillReachesTheFullRate() {
            Pacing pacing = pacing(limits);
            List<Long> times = times(run(pacing, oneEach(1_000, 5_000), Duration.ofMinutes(1)));
            assertTrue(times.size() >= 60 * 30, "sent in a minute: " + times.size());
            assertTrue(times.size() <= 60 * 30 + 3, "sent in a minute: " + times.size());
        }

        @Test
        void aReplyStillKeepsItsChatsLimit() {
            Pacing pacing = pacing(limits);
            List<OutboxRow> window = oneEach(1_000, 5_000);
            run(pacing, window, Duration.ofSeconds(2));
            for (int i = 0; i < 4; i++) {
                queueReply(window, reply(7));
            }
            List<Long> claimedAt = new ArrayList<>();
            for (long millis = 0; millis < 1_500; millis++) {
                for (OutboxRow row : pacing.claim(window, 0)) {
                    if (row.chatId() == 7) {
                        claimedAt.add(millis);
                    }
                    pacing.judge(row, DELIVERED);
                    pacing.settled(row);
                }
                time.advanceMillis(1);
            }
            assertEquals(4, claimedAt.size(), "the chat's burst of three, then one a second: " + claimedAt);
            assertTrue(claimedAt.get(2) < 5 && claimedAt.get(3) >= 1_000, "then one a second: " + claimedAt);
        }

        @Test
        void aGlobalPauseHoldsRepliesToo() {
            Pacing pacing = pacing(limits);
            List<OutboxRow> window = oneEach(1_000, 100);
            pacing.judge(row(2), new DeliveryResult.RetryAfter(Duration.ofSeconds(2)));
            pacing.judge(row(3), new DeliveryResult.RetryAfter(Duration.ofSeconds(2)));
            OutboxRow reply = reply(1);
            queueReply(window, reply);
            assertEquals(List.of(), pacing.claim(window, 0), "Telegram said wait: everyone waits");
            time.advance(Duration.ofSeconds(2));
            assertEquals(reply, pacing.claim(window, 0).get(0));
        }
    }

    @Nested
    class Order {
        @Test
        void oneMessagePerChatIsInFlightUntilItsAnswerIsRecorded() {
            Pacing pacing = pacing(ROOMY);
            OutboxRow first = row(1);
            OutboxRow second = row(1);
            OutboxRow other = row(2);
            List<OutboxRow> window = new ArrayList<>(List.of(first, second, other));

            assertEquals(List.of(first, other), pacing.claim(window, 0));
            time.advanceMillis(100);
            assertEquals(List.of(), pacing.claim(window, 2), "the chat's first message has no answer yet");
            pacing.judge(first, DELIVERED);
            pacing.settled(first);
            assertEquals(List.of(second), pacing.claim(window, 1));
        }

        @Test
        void aButtonAnswerNeitherWaitsForItsChatNorHoldsItBack() {
            Pacing pacing = pacing(ROOMY);
            OutboxRow answer = row(5, "answer", 0, time.clock().instant());
            OutboxRow redraw = row(5, "edit", 0, time.clock().instant());
            OutboxRow next = row(5);
            List<OutboxRow> window = new ArrayList<>(List.of(answer, redraw, next));

            assertEquals(List.of(answer, redraw), pacing.claim(window, 0), "the card is redrawn with the answer");
            pacing.judge(answer, DELIVERED);
            pacing.settled(answer);
            assertEquals(List.of(), pacing.claim(window, 2), "the answer's settling does not free the chat");
            pacing.judge(redraw, DELIVERED);
            pacing.settled(redraw);
            assertEquals(List.of(next), pacing.claim(window, 1));
            OutboxRow laterAnswer = row(5, "answer", 0, time.clock().instant());
            assertEquals(List.of(laterAnswer), pacing.claim(new ArrayList<>(List.of(laterAnswer)), 1),
                    "an answer goes while the chat's message is in flight");
        }

        @Test
        void aMessageWaitingToRetryHoldsBackTheLaterOnesOfItsChat() {
            Pacing pacing = pacing(ROOMY);
            OutboxRow retrying = row(1, "send", 1, time.clock().instant().plusSeconds(5));
            OutboxRow later = row(1);
            OutboxRow other = row(2);
            List<OutboxRow> window = new ArrayList<>(List.of(retrying, later, other));

            assertEquals(List.of(other), pacing.claim(window, 0));
            time.advance(Duration.ofSeconds(5));
            assertEquals(List.of(retrying), pacing.claim(window, 0));
        }

        @Test
        void rowsAreClaimedInTheQueuesOrderWhenTokensAreScarce() {
            Pacing pacing = pacing(TELEGRAM.withRates(1, 1, 20));
            OutboxRow reply = new OutboxRow(nextRowId++, Optional.empty(), 9, Outbox.INTERACTIVE, "send", 0,
                    time.clock().instant());
            List<OutboxRow> window = new ArrayList<>(List.of(reply));
            window.addAll(oneEach(100, 20));
            assertEquals(List.of(reply), pacing.claim(window, 0), "the one token goes to the first in the queue");
        }

        @Test
        void aReleasedClaimGivesItsTokensBack() {
            Pacing pacing = pacing(TELEGRAM.withRates(1, 1, 20));
            List<OutboxRow> expired = pacing.claim(new ArrayList<>(List.of(row(1))), 0);
            assertEquals(1, expired.size());
            assertEquals(List.of(), pacing.claim(new ArrayList<>(List.of(row(2))), 0), "the one token is taken");
            pacing.released(expired.get(0)); // not sent: it expired before it could be
            OutboxRow sameChat = row(1);
            assertEquals(List.of(sameChat), pacing.claim(new ArrayList<>(List.of(sameChat)), 0),
                    "the overall token and the chat's come back at once, with no time passing");
        }

        @Test
        void aReleasedClaimFreesItsChat() {
            Pacing pacing = pacing(ROOMY);
            OutboxRow cancelled = row(1);
            OutboxRow next = row(1);
            pacing.claim(new ArrayList<>(List.of(cancelled)), 0);
            pacing.released(cancelled);
            assertEquals(List.of(next), pacing.claim(new ArrayList<>(List.of(next)), 0));
        }
    }

    @Nested
    class TooManyRequests {
        @Test
        void pausesTheChatForRetryAfterAndNotAsAnAttempt() {
            Pacing pacing = pacing(ROOMY);
            OutboxRow throttled = row(1);
            pacing.claim(new ArrayList<>(List.of(throttled)), 0);
            AfterAnswer outcome = pacing.judge(throttled, new DeliveryResult.RetryAfter(Duration.ofSeconds(3)));
            pacing.settled(throttled);

            AfterAnswer.Retry retry = assertInstanceOf(AfterAnswer.Retry.class, outcome);
            assertEquals(time.clock().instant().plusSeconds(3), retry.at());
            assertFalse(retry.countsAsAttempt());
            OutboxRow sameChat = row(1);
            OutboxRow otherChat = row(2);
            List<OutboxRow> window = new ArrayList<>(List.of(sameChat, otherChat));
            assertEquals(List.of(otherChat), pacing.claim(window, 0), "only the throttled chat waits");
            time.advanceMillis(2_999);
            assertEquals(List.of(), pacing.claim(window, 0));
            time.advanceMillis(1);
            assertEquals(List.of(sameChat), pacing.claim(window, 0));
            assertEquals(1_000, pacing.globalRate(), "one chat's 429 leaves the global rate alone");
        }

        @Test
        void twoChatsThrottledWithinASecondPauseEveryoneAndHalveTheRateWhichClimbsBack() {
            Pacing pacing = pacing(TELEGRAM.withRates(40, 1, 20));
            List<OutboxRow> window = oneEach(1, 2_000);
            List<OutboxRow> first = pacing.claim(window, 0);
            pacing.judge(first.get(0), new DeliveryResult.RetryAfter(Duration.ofSeconds(2)));
            time.advanceMillis(500);
            pacing.judge(first.get(1), new DeliveryResult.RetryAfter(Duration.ofSeconds(2)));
            first.forEach(pacing::settled);

            assertEquals(20, pacing.globalRate());
            time.advanceMillis(1_999);
            assertEquals(List.of(), pacing.claim(window, 0), "everyone waits out the second chat's retry_after");
            time.advanceMillis(1);

            List<Long> times = times(run(pacing, window, Duration.ofSeconds(1)));
            assertTrue(times.size() >= 19 && times.size() <= 21, "the first second after the pause at 20/s: " + times.size());
            List<Double> rates = new ArrayList<>();
            for (int second = 0; second < 10 && pacing.globalRate() < 40; second++) {
                run(pacing, window, Duration.ofSeconds(1));
                rates.add(pacing.globalRate());
            }
            assertEquals(40, pacing.globalRate(), "back at the configured rate after accepted messages: " + rates);
            for (int i = 1; i < rates.size(); i++) {
                assertTrue(rates.get(i) >= rates.get(i - 1), "the rate only climbs: " + rates);
            }
        }

        @Test
        void oneChatThrottledTwiceOrTwoChatsFarApartLeaveTheRateAlone() {
            Pacing pacing = pacing(TELEGRAM.withRates(40, 1, 20));
            pacing.judge(row(1), new DeliveryResult.RetryAfter(Duration.ofSeconds(1)));
            time.advanceMillis(300);
            pacing.judge(row(1), new DeliveryResult.RetryAfter(Duration.ofSeconds(1)));
            time.advanceMillis(1_500);
            pacing.judge(row(2), new DeliveryResult.RetryAfter(Duration.ofSeconds(1)));
            assertEquals(40, pacing.globalRate());
            assertEquals(1, pacing.claim(new ArrayList<>(List.of(row(3))), 0).size(), "other chats go on");
        }
    }

    @Nested
    class Failures {
        private Duration retryDelay(Pacing pacing, int attemptsBefore) {
            AfterAnswer outcome = pacing.judge(row(1, "send", attemptsBefore, time.clock().instant()),
                    new DeliveryResult.TransientFailure("502 Bad Gateway"));
            AfterAnswer.Retry retry = assertInstanceOf(AfterAnswer.Retry.class, outcome);
            assertTrue(retry.countsAsAttempt());
            assertEquals("502 Bad Gateway", retry.reason());
            return Duration.between(time.clock().instant(), retry.at());
        }

        @Test
        void backoffDoublesWithJitterBetweenHalfAndAllOfIt() {
            DeliveryLimits limits = TELEGRAM.withMaxAttempts(20);
            Pacing lowest = new Pacing(limits, time, time.clock(), FixedJitter.LOWEST);
            Pacing highest = new Pacing(limits, time, time.clock(), FixedJitter.HIGHEST);
            for (int attempt = 1; attempt <= 4; attempt++) {
                long full = 1_000L << (attempt - 1); // first retry 1 s, doubling
                assertEquals(Duration.ofMillis(full / 2), retryDelay(lowest, attempt - 1), "attempt " + attempt);
                Duration most = retryDelay(highest, attempt - 1);
                assertTrue(most.toMillis() >= full - 1 && most.toMillis() <= full, "attempt " + attempt + ": " + most);
            }
            // The maximum (5 minutes) caps the doubling.
            assertEquals(Duration.ofSeconds(150), retryDelay(lowest, 12));
            assertTrue(retryDelay(highest, 12).compareTo(Duration.ofMinutes(5)) <= 0);
        }

        @Test
        void givesUpAfterTheLastAttemptWithTheReason() {
            Pacing pacing = pacing(TELEGRAM.withMaxAttempts(3));
            retryDelay(pacing, 1);
            AfterAnswer last = pacing.judge(row(1, "send", 2, time.clock().instant()),
                    new DeliveryResult.TransientFailure("timeout"));
            assertEquals(new AfterAnswer.Fail("gave up after 3 attempts: timeout"), last);
            assertFalse(last.changesQueue());
        }

        @Test
        void aButtonAnswerStopsTryingWhileThePressIsFresh() {
            Pacing pacing = pacing(TELEGRAM);
            assertInstanceOf(AfterAnswer.Retry.class, pacing.judge(row(1, "answer", 1, time.clock().instant()),
                    new DeliveryResult.TransientFailure("502 Bad Gateway")));
            AfterAnswer last = pacing.judge(row(1, "answer", Pacing.ANSWER_ATTEMPTS - 1, time.clock().instant()),
                    new DeliveryResult.TransientFailure("502 Bad Gateway"));
            assertEquals(new AfterAnswer.Fail("gave up after 3 attempts: 502 Bad Gateway"), last);
            assertInstanceOf(AfterAnswer.Retry.class, pacing.judge(row(1, "send", Pacing.ANSWER_ATTEMPTS - 1,
                    time.clock().instant()), new DeliveryResult.TransientFailure("502 Bad Gateway")), "others go on");
        }

        @Test
        void aRefusedMessageFailsAtOnceWithTheReason() {
            AfterAnswer outcome = pacing(TELEGRAM).judge(row(1),
                    new DeliveryResult.Rejected("Bad Request: can't parse entities"));
            assertEquals(new AfterAnswer.Fail("Bad Request: can't parse entities"), outcome);
        }

        @Test
        void forbiddenBlocksTheChat() {
            AfterAnswer outcome = pacing(TELEGRAM).judge(row(1), new DeliveryResult.Blocked("bot was blocked by the user"));
            assertEquals(new AfterAnswer.Blocked("bot was blocked by the user"), outcome);
            assertTrue(outcome.changesQueue(), "the chat's queued rows are dropped");
        }

        @Test
        void aMigratedGroupIsFollowed() {
            AfterAnswer outcome = pacing(TELEGRAM).judge(row(-1001), new DeliveryResult.ChatMigrated(-100_2002L));
            assertEquals(new AfterAnswer.Migrated(-100_2002L), outcome);
            assertTrue(outcome.changesQueue(), "the chat's queued rows move");
        }
    }
}
