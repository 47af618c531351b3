package org.forumgateway.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.chat.GroupMembership;
import org.forumgateway.chat.Incoming;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** my_chat_member updates as Telegram writes them, read as the inbox stores and reads them back after a crash. */
class MembershipUpdateTest {
    private static final String BOT = "{\"id\":123456789,\"is_bot\":true,\"first_name\":\"Forum Gateway\"}";
    private final ObjectMapper json = new ObjectMapper();
    private final UpdateTranslator translator = new UpdateTranslator(Optional.of("forum_gateway_test_bot"));

    private Optional<Incoming> read(String chat, String oldMember, String newMember) throws Exception {
        String telegram = "{\"update_id\":5,\"my_chat_member\":{\"chat\":" + chat + ","
                + "\"from\":{\"id\":7301,\"is_bot\":false,\"first_name\":\"Owner\"},\"date\":1796000000,"
                + "\"old_chat_member\":" + oldMember + ",\"new_chat_member\":" + newMember + "}}";
        Update received = json.readValue(telegram, Update.class);
        // Stored as received, read back as a crash would have it handled at the next start.
        return translator.translate(json.readValue(json.writeValueAsString(received), Update.class));
    }

    @Test
    void anAdministratorAllowedToPinInASupergroup() throws Exception {
        Optional<Incoming> incoming = read(
                "{\"id\":-1001000000001,\"title\":\"Forum delegates\",\"type\":\"supergroup\"}",
                "{\"user\":" + BOT + ",\"status\":\"member\"}",
                "{\"user\":" + BOT + ",\"status\":\"administrator\",\"can_be_edited\":false,\"is_anonymous\":false,"
                        + "\"can_manage_chat\":true,\"can_delete_messages\":true,\"can_manage_video_chats\":true,"
                        + "\"can_restrict_members\":false,\"can_promote_members\":false,\"can_change_info\":false,"
                        + "\"can_invite_users\":true,\"can_post_stories\":false,\"can_edit_stories\":false,"
                        + "\"can_delete_stories\":false,\"can_pin_messages\":true}");
        GroupMembership membership = ((Incoming.MembershipChanged) incoming.orElseThrow()).membership();
        assertEquals(new GroupMembership(-1001000000001L, "Forum delegates", true, true, true, true), membership);
    }

    @Test
    void anAdministratorWithoutThePinRightAndAPlainMemberMayNotPin() throws Exception {
        Optional<Incoming> admin = read("{\"id\":-1001000000002,\"title\":\"Supporters\",\"type\":\"supergroup\"}",
                "{\"user\":" + BOT + ",\"status\":\"left\"}",
                "{\"user\":" + BOT + ",\"status\":\"administrator\",\"can_be_edited\":false,\"is_anonymous\":false,"
                        + "\"can_manage_chat\":true,\"can_delete_messages\":true,\"can_manage_video_chats\":true,"
                        + "\"can_restrict_members\":false,\"can_promote_members\":false,\"can_change_info\":false,"
                        + "\"can_invite_users\":true,\"can_post_stories\":false,\"can_edit_stories\":false,"
                        + "\"can_delete_stories\":false,\"can_pin_messages\":false}");
        assertEquals(new GroupMembership(-1001000000002L, "Supporters", true, true, true, false),
                ((Incoming.MembershipChanged) admin.orElseThrow()).membership());
        Optional<Incoming> member = read("{\"id\":-4001,\"title\":\"Old group\",\"type\":\"group\"}",
                "{\"user\":" + BOT + ",\"status\":\"left\"}", "{\"user\":" + BOT + ",\"status\":\"member\"}");
        assertEquals(new GroupMembership(-4001L, "Old group", false, true, false, false),
                ((Incoming.MembershipChanged) member.orElseThrow()).membership());
    }

    @Test
    void removedFromAGroupIsNoLongerAMember() throws Exception {
        Optional<Incoming> kicked = read("{\"id\":-4001,\"title\":\"Old group\",\"type\":\"group\"}",
                "{\"user\":" + BOT + ",\"status\":\"member\"}",
                "{\"user\":" + BOT + ",\"status\":\"kicked\",\"until_date\":0}");
        assertEquals(new GroupMembership(-4001L, "Old group", false, false, false, false),
                ((Incoming.MembershipChanged) kicked.orElseThrow()).membership());
    }

    @Test
    void aPersonBlockingOrUnblockingTheBotInTheirPrivateChat() throws Exception {
        String chat = "{\"id\":7301,\"first_name\":\"Owner\",\"type\":\"private\"}";
        Incoming blocked = read(chat, "{\"user\":" + BOT + ",\"status\":\"member\"}",
                "{\"user\":" + BOT + ",\"status\":\"kicked\",\"until_date\":0}").orElseThrow();
        assertEquals(7301L, blocked.chat().chatId());
        assertTrue(((Incoming.BlockChanged) blocked).blocked());
        Incoming unblocked = read(chat, "{\"user\":" + BOT + ",\"status\":\"kicked\",\"until_date\":0}",
                "{\"user\":" + BOT + ",\"status\":\"member\"}").orElseThrow();
        assertFalse(((Incoming.BlockChanged) unblocked).blocked());
        // Someone else's private chat is not the sender's to block: nothing.
        assertTrue(read("{\"id\":7302,\"first_name\":\"Other\",\"type\":\"private\"}",
                "{\"user\":" + BOT + ",\"status\":\"member\"}",
                "{\"user\":" + BOT + ",\"status\":\"kicked\",\"until_date\":0}").isEmpty());
    }
}
