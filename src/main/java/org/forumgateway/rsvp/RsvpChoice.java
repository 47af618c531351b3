package org.forumgateway.rsvp;

/** What a user can press: Going, Maybe, Can't go. Going becomes {@link RsvpStatus#WAITLISTED} when full. */
public enum RsvpChoice {
    GOING, MAYBE, DECLINED
}
