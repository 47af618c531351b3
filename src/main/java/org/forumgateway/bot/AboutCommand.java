package org.forumgateway.bot;

import org.forumgateway.config.OrganizationProfile;
import org.forumgateway.i18n.CountryNames;
import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;

import java.util.List;
import java.util.stream.Collectors;

/**
 * /about: the organization profile from the config file, in the user's language where it has one. Sections the
 * operator left empty are left out; the member countries are named as everywhere else in the bot.
 */
final class AboutCommand implements CommandHandler {
    /** Profile fields shown under a heading, in this order; "members" is the country list. */
    private static final List<String> SECTIONS = List.of("history", "functions", "members", "supporters", "address");

    private final OrganizationProfile profile;
    private final List<String> countries;
    private final String defaultLocale;

    AboutCommand(OrganizationProfile profile, List<String> countries, String defaultLocale) {
        this.profile = profile;
        this.countries = List.copyOf(countries);
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
        StringBuilder sections = new StringBuilder();
        for (String section : SECTIONS) {
            String text = section.equals("members")
                    ? countries.stream().map(code -> "• " + CountryNames.name(translator, code))
                            .collect(Collectors.joining("\n"))
                    : profile.text(section, locale, defaultLocale);
            if (!text.isBlank()) {
                sections.append(translator.text("about.section",
                        "heading", translator.text("about.heading." + section), "text", text));
            }
        }
        String website = profile.website()
                .map(url -> translator.text("about.website", "url", url))
                .orElse("");
        conversation.reply(translator.text("about.text",
                "name", profile.text("name", locale, defaultLocale),
                "summary", profile.text("summary", locale, defaultLocale),
                "sections", new Html(sections.toString()),
                "website", new Html(website)));
    }
}
