package org.forumgateway.events;

import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.Translator;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The events file is malformed. {@link #getMessage()} names the file, the line and the field on one line, in
 * English, for the log; {@link #describe} says the same in a staff member's language: the problem is a message key
 * ({@code eventsFile.problem.<problem>}) with its arguments.
 *
 * @see EventFileParser
 */
public final class EventFileException extends RuntimeException {
    private final String file;
    private final Optional<Integer> line;
    private final Optional<String> field;
    private final String problem;
    private final Map<String, Object> arguments;

    EventFileException(String file, Optional<Integer> line, Optional<String> field, String problem,
                       Map<String, Object> arguments, String englishProblem) {
        super(file + line.map(number -> " line " + number).orElse("") + ": "
                + field.map(name -> name + " ").orElse("") + englishProblem);
        this.file = file;
        this.line = line;
        this.field = field;
        this.problem = problem;
        this.arguments = Map.copyOf(arguments);
    }

    /** A problem with the whole file (missing, unreadable). */
    static EventFileException ofFile(String file, String problem, Map<String, Object> arguments, String english) {
        return new EventFileException(file, Optional.empty(), Optional.empty(), problem, arguments, english);
    }

    /** The problem's message key suffix, such as {@code required} or {@code unknownZone}. */
    public String problem() {
        return problem;
    }

    /** The problem in {@code translator}'s language, as Telegram HTML: where, then what. */
    public Html describe(Translator translator) {
        Map<String, Object> values = new HashMap<>(arguments);
        String what = translator.text("eventsFile.problem." + problem, values);
        if (line.isEmpty()) {
            return new Html(translator.text("eventsFile.inFile", "file", file, "problem", new Html(what)));
        }
        return new Html(field
                .map(name -> translator.text("eventsFile.atField", "file", file, "line", line.get(), "field", name,
                        "problem", new Html(what)))
                .orElseGet(() -> translator.text("eventsFile.atLine", "file", file, "line", line.get(),
                        "problem", new Html(what))));
    }
}
