package org.forumgateway.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.i18n.LocalizedText;

import java.util.Map;
import java.util.TreeMap;

/** Localized texts stored as small JSON objects in TEXT columns. */
public final class JsonText {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private JsonText() {
    }

    public static String write(LocalizedText text) {
        try {
            // In locale order: Map.copyOf's order changes from one start to the next, and the stored text is compared
            // with what a reload writes (an event's revision goes up only when a text really changed).
            return JSON.writeValueAsString(new TreeMap<>(text.byLocale()));
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
