package org.forumgateway.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.i18n.LocalizedText;

import java.util.Map;

/** Localized texts stored as small JSON objects in TEXT columns. */
public final class JsonText {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private JsonText() {
    }

    public static String write(LocalizedText text) {
        try {
            return JSON.writeValueAsString(text.byLocale());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static LocalizedText read(String json) {
        try {
            return new LocalizedText(JSON.readValue(json, MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored text is not JSON: " + json, e);
        }
    }
}
