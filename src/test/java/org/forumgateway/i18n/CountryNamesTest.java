package org.forumgateway.i18n;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CountryNamesTest {
    private final MessageCatalog catalog = MessageCatalog.load(Path.of("messages"), "en", List.of());

    @Test
    void memberCountriesAreNamedAsTheyNameThemselvesWhereCldrDiffers() {
        assertEquals("Кыргызстан", CountryNames.name(catalog.translator("ru"), "KG"), "CLDR says «Киргизия»");
        assertEquals("Republic of Korea", CountryNames.name(catalog.translator("en"), "KR"), "CLDR says South Korea");
        assertEquals("Корея Республикасы", CountryNames.name(catalog.translator("kk"), "KR"));
        assertEquals("Koreya Respublikasi", CountryNames.name(catalog.translator("uz"), "KR"));
        assertEquals("Корея Республикасы", CountryNames.name(catalog.translator("ky"), "KR"));
        assertEquals("Ҷумҳурии Корея", CountryNames.name(catalog.translator("tg"), "KR"));
        assertEquals("Koreýa Respublikasy", CountryNames.name(catalog.translator("tk"), "KR"));
        assertEquals("대한민국", CountryNames.name(catalog.translator("ko"), "KR"));
    }

    @Test
    void everyLanguageNamesEverySixMemberCountries() {
        Map<String, Map<String, String>> patterns = catalog.patterns();
        for (String locale : EveryMessageRendersTest.LOCALES) {
            for (String code : List.of("KR", "KZ", "KG", "TJ", "TM", "UZ")) {
                assertEquals(patterns.get(locale).get("country." + code), CountryNames.name(catalog.translator(locale), code));
            }
        }
    }

    @Test
    void otherCountriesComeFromCldr() {
        assertEquals("Германия", CountryNames.name(catalog.translator("ru"), "DE"));
        assertEquals("Germaniya", CountryNames.name(catalog.translator("uz"), "DE"));
    }
}
