package org.forumgateway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a multipart/form-data upload (sendDocument) into JSON as the fake Bot API records it: text fields as
 * strings, file fields as {@code {filename, content_base64}}.
 */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");
    private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]*)\"");

    private Multipart() {
    }

    static ObjectNode parse(byte[] body, String contentType, ObjectMapper json) {
        Matcher boundaryMatcher = BOUNDARY.matcher(contentType);
        if (!boundaryMatcher.find()) {
            throw new IllegalArgumentException("no boundary in " + contentType);
        }
        byte[] delimiter = ("--" + boundaryMatcher.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        ObjectNode fields = json.createObjectNode();
        int position = indexOf(body, delimiter, 0);
        while (position >= 0) {
            int partStart = position + delimiter.length;
            if (partStart + 2 <= body.length && body[partStart] == '-' && body[partStart + 1] == '-') {
                break;
            }
            partStart += 2; // CRLF after the delimiter
            int next = indexOf(body, delimiter, partStart);
            if (next < 0) {
                break;
            }
            byte[] part = Arrays.copyOfRange(body, partStart, next - 2); // drop the CRLF before the delimiter
            int headersEnd = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
            String headers = new String(part, 0, headersEnd, StandardCharsets.UTF_8);
            byte[] content = Arrays.copyOfRange(part, headersEnd + 4, part.length);
            Matcher name = NAME.matcher(headers);
            if (name.find()) {
                Matcher fileName = FILE_NAME.matcher(headers);
                if (fileName.find()) {
                    fields.putObject(name.group(1))
                            .put("filename", fileName.group(1))
                            .put("content_base64", Base64.getEncoder().encodeToString(content));
                } else {
                    fields.put(name.group(1), new String(content, StandardCharsets.UTF_8));
                }
            }
            position = next;
        }
        // Files may travel as their own part, referred to from a field as attach://<part name>.
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        for (String field : names) {
            String value = fields.path(field).asText("");
            if (value.startsWith("attach://") && fields.has(value.substring("attach://".length()))) {
                fields.set(field, fields.get(value.substring("attach://".length())));
            }
        }
        return fields;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
