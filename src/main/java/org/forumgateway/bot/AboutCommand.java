package org.forumgateway.bot;

import org.forumgateway.config.OrganizationProfile;
import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;

/** /about: the organization profile from the config file, in the user's language where it has one. */
final class AboutCommand implements CommandHandler {
    private final OrganizationProfile profile;
    private final String defaultLocale;

    AboutCommand(OrganizationProfile profile, String defaultLocale) {
        this.profile = profile;
        this.defaultLocale = defaultLocale;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("about", Role.GUEST, true);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        Translator translator = conversation.translator();
        String locale = translator.locale();
        String website = profile.website()
                .map(url -> translator.text("about.website", "url", url))
                .orElse("");
        conversation.reply(translator.text("about.text",
                "name", profile.text("name", locale, defaultLocale),
                "summary", profile.text("summary", locale, defaultLocale),
                "functions", profile.text("functions", locale, defaultLocale),
                "address", profile.text("address", locale, defaultLocale),
                "website", new Html(website)));
    }
}
