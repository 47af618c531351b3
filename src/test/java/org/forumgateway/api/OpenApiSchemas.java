package org.forumgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.util.List;

/** Validates JSON against a schema inside the served OpenAPI document (JSON Schema 2020-12), found by JSON Pointer. */
final class OpenApiSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApiSchemas() {
    }

    /** What is wrong with {@code body} by the schema at {@code pointer} in {@code document}; empty when it conforms. */
    static List<Error> errors(JsonNode document, String pointer, String body) throws IOException {
        // The whole document is the root schema, so the $refs inside the schema resolve against it.
        ObjectNode schema = document.deepCopy();
        schema.put("$ref", "#" + pointer);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(JSON.writeValueAsString(schema)).validate(body, InputFormat.JSON);
    }

    /** One reference token of a JSON Pointer: {@code /v1/links} becomes {@code ~1v1~1links}. */
    static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
