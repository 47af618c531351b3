package org.forumgateway.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Strict reading of JSON request bodies: malformed JSON, duplicate names, a body that is not an object, unknown
 * fields and wrong types are problems naming the place (a JSON Pointer). Values are never coerced ("1" is not 1).
 */
final class JsonInput {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonInput() {
    }

    /** The body as a JSON object, or a problem saying where it is broken. */
    static Fields object(byte[] body) {
        if (body.length == 0) {
            throw Problem.invalid("", "The body is empty; send a JSON object.").raise();
        }
        JsonNode node;
        try (JsonParser parser = MAPPER.createParser(body)) {
            node = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw Problem.invalid("", "The body has more after its JSON value.").raise();
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw Problem.invalid("", "The body is not valid JSON" + where + ": " + e.getOriginalMessage() + ".")
                    .raise();
        } catch (IOException e) {
            throw Problem.invalid("", "The body cannot be read as UTF-8 JSON.").raise();
        }
        if (node == null || !node.isObject()) {
            throw Problem.invalid("", "The body must be a JSON object.").raise();
        }
        return new Fields((ObjectNode) node, "", new ArrayList<>());
    }

    /** Escapes a name for a JSON Pointer (RFC 6901). */
    static String pointer(String parent, String name) {
        return parent + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    /**
     * The fields of one JSON object, read with checks; every problem is collected (with its pointer) so one answer
     * lists them all. Call {@link #finish} to throw them.
     */
    static final class Fields {
        private final ObjectNode node;
        private final String pointer;
        private final List<Problem.FieldError> errors;

        Fields(ObjectNode node, String pointer, List<Problem.FieldError> errors) {
            this.node = node;
            this.pointer = pointer;
            this.errors = errors;
        }

        String pointer() {
            return pointer;
        }

        String pointer(String name) {
            return JsonInput.pointer(pointer, name);
        }

        ObjectNode node() {
            return node;
        }

        List<Problem.FieldError> errors() {
            return errors;
        }

        void error(String at, String detail) {
            errors.add(new Problem.FieldError(at, detail));
        }

        /** Every field not in {@code known} is an error. */
        Fields allowOnly(Set<String> known) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!known.contains(name)) {
                    error(pointer(name), "Unknown field '" + name + "'.");
                }
            }
            return this;
        }

        boolean has(String name) {
            return node.has(name) && !node.get(name).isNull();
        }

        Optional<String> text(String name) {
            return typed(name, JsonNode::isTextual, "Must be a string.", JsonNode::textValue);
        }

        Optional<Long> integer(String name) {
            return typed(name, value -> value.isIntegralNumber() && value.canConvertToLong(), "Must be an integer.",
                    JsonNode::longValue);
        }

        Optional<Boolean> bool(String name) {
            return typed(name, JsonNode::isBoolean, "Must be true or false.", JsonNode::booleanValue);
        }

        /** A field's value when present and of the right type; a wrong type is an error, never coerced. */
        private <T> Optional<T> typed(String name, Predicate<JsonNode> isRightType, String expected,
                                      Function<JsonNode, T> read) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!isRightType.test(value)) {
                error(pointer(name), expected);
                return Optional.empty();
            }
            return Optional.of(read.apply(value));
        }

        Optional<Fields> object(String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isObject()) {
                error(pointer(name), "Must be an object.");
                return Optional.empty();
            }
            return Optional.of(new Fields((ObjectNode) value, pointer(name), errors));
        }

        /**
         * The objects of an array field of at most {@code max} items. A longer one is one error, its items not read:
         * 80,000 empty objects in a body's 256 KB would otherwise be 160,000 errors in the answer.
         */
        Optional<List<Fields>> objects(String name, int max) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isArray()) {
                error(pointer(name), "Must be an array.");
                return Optional.empty();
            }
            if (value.size() > max) {
                error(pointer(name), "At most " + max + " items; " + value.size() + " given.");
                return Optional.empty();
            }
            List<Fields> items = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                String at = pointer(name) + "/" + i;
                if (!item.isObject()) {
                    error(at, "Must be an object.");
                } else {
                    items.add(new Fields((ObjectNode) item, at, errors));
                }
            }
            return Optional.of(items);
        }

        /** Throws the problems found so far, if any. */
        void finish() {
            if (!errors.isEmpty()) {
                throw Problem.invalid(errors).raise();
            }
        }
    }
}
