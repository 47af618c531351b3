package org.forumgateway.api;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.users.ExternalIdDao;
import org.forumgateway.users.PersonErasure;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;
import org.jdbi.v3.core.Jdbi;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code POST /v1/links} (a deep link that links a person), {@code GET /v1/people/{external_id}} and {@code DELETE} of
 * it (the person erased).
 */
final class PeopleEndpoints {
    private static final Set<String> FIELDS = Set.of("external_id", "role", "country", "cohort");
    private static final WebResponse ERASED = new WebResponse(204, "", new byte[0], Map.of());

    private final PersonLinks links;
    private final Function<String, Optional<String>> deepLink;
    private final List<String> countries;
    private final CohortService cohorts;
    private final UserService users;
    private final MessageCatalog catalog;
    private final ZoneId defaultZone;
    private final Jdbi jdbi;
    private final ExternalIdDao externalIds = new ExternalIdDao();
    private final PersonErasure erasure;
    private final AuditLog audit;

    /** @param deepLink the t.me link that starts the bot with a payload; empty while the bot's username is unknown */
    PeopleEndpoints(PersonLinks links, Function<String, Optional<String>> deepLink, List<String> countries,
                    CohortService cohorts, UserService users, MessageCatalog catalog, ZoneId defaultZone, Jdbi jdbi,
                    PersonErasure erasure, AuditLog audit) {
        this.links = links;
        this.deepLink = deepLink;
        this.countries = List.copyOf(countries);
        this.cohorts = cohorts;
        this.users = users;
        this.catalog = catalog;
        this.defaultZone = defaultZone;
        this.jdbi = jdbi;
        this.erasure = erasure;
        this.audit = audit;
    }

    /** {@code POST /v1/links}. */
    WebResponse createLink(WebRequest request, ApiKey caller) {
        JsonInput.Fields fields = JsonInput.object(request.body()).allowOnly(FIELDS);
        Optional<String> externalId = fields.text("external_id");
        if (!fields.has("external_id")) {
            fields.error(fields.pointer("external_id"), "Required: your system's id for this person.");
        }
        externalId.filter(id -> id.isBlank() || id.length() > MessageRequestParser.MAX_EXTERNAL_ID
                || !fitsInAPath(id)).ifPresent(id -> fields.error(fields.pointer("external_id"), "Must be 1-"
                + MessageRequestParser.MAX_EXTERNAL_ID + " characters, without / % ; \\ or control characters, and "
                + "not . or .. (it is a path segment in GET /v1/people/{external_id})."));
        Optional<Role> role = fields.text("role").flatMap(text -> {
            if (text.equals("delegate") || text.equals("supporter")) {
                return Optional.of(Role.fromCode(text));
            }
            fields.error(fields.pointer("role"), "Must be delegate or supporter.");
            return Optional.empty();
        });
        Optional<String> country = fields.text("country").map(text -> text.toUpperCase(Locale.ROOT)).filter(code -> {
            if (!countries.contains(code)) {
                fields.error(fields.pointer("country"), "Must be one of " + String.join(", ", countries) + ".");
                return false;
            }
            return true;
        });
        Optional<Integer> cohort = fields.integer("cohort").filter(number -> {
            boolean known = number > 0 && number < 100_000 && cohorts.find(number.intValue()).isPresent();
            if (!known) {
                fields.error(fields.pointer("cohort"), "There is no cohort " + number + ".");
            }
            return known;
        }).map(Long::intValue);
        fields.finish();
        if (deepLink.apply(PersonLinks.PAYLOAD_PREFIX).isEmpty()) {
            // Without the bot's username there is no link to give, only a command to type: nothing is stored.
            return Problem.of(503, Problem.UNAVAILABLE, "The bot has not reached Telegram yet, so its link is not "
                    + "known; try again shortly.").response().withHeader("Retry-After", "30");
        }
        if (links.ownedByAnotherKey(caller.name(), externalId.get())) {
            return new Problem(409, Problem.CONFLICT, "Another system's key linked this id; use ids of your own "
                    + "(prefix them: reg-, web-).", List.of(new Problem.FieldError("/external_id",
                    "Linked by another API key."))).response();
        }
        PersonLinks.Code code = links.create(caller.name(), externalId.orElseThrow(), role, country, cohort);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", deepLink.apply(PersonLinks.PAYLOAD_PREFIX + code.code()).orElseThrow());
        body.put("expires_at", code.expiresAt().toString());
        return WebResponse.jsonOf(201, body);
    }

    /**
     * Whether {@code id}, percent-encoded, comes back whole from a path segment: the HTTP server refuses an encoded
     * '/' or '%' in a path (400), takes ';' for the start of path parameters, and resolves '.' and '..'.
     */
    private static boolean fitsInAPath(String id) {
        return !id.equals(".") && !id.equals("..")
                && id.chars().noneMatch(c -> c == '/' || c == '%' || c == ';' || c == '\\' || Character.isISOControl(c));
    }

    /**
     * {@code DELETE /v1/people/{externalId}}: erases the person linked to the id, as their own system asks when they
     * want their data deleted. Only the system whose key linked the id may; administrators are not erased.
     */
    WebResponse erase(WebRequest request, ApiKey caller) {
        String externalId = request.pathParameter("externalId");
        // The link is read and the person erased in one transaction: the id cannot move to someone else between.
        return jdbi.inTransaction(handle -> {
            Optional<ExternalIdDao.Link> link = externalIds.link(handle, externalId);
            if (link.isEmpty()) {
                return Problem.of(404, Problem.NOT_FOUND, "No person is linked to this id.").response();
            }
            // A link from before keys were recorded has no owner: no key may erase through it (an id is guessable).
            if (!link.get().keyName().equals(Optional.of(caller.name()))) {
                return Problem.of(409, Problem.CONFLICT, "Another system's key linked this id (or it was linked "
                        + "before keys were recorded): only the system that linked it may erase the person; an "
                        + "administrator can, with /forget in the chat.").response();
            }
            long userId = link.get().userId();
            if (users.isAdministrator(userId)) {
                return Problem.of(409, Problem.CONFLICT, "The person is one of the bot's administrators "
                        + "(ADMIN_IDS), who are not erased; the bot's operator removes them from that setting first.")
                        .response();
            }
            erasure.erase(userId);
            audit.record(handle, ApiMessages.API_ACTOR, "api.person.erase", "key " + caller.name() + ": " + userId);
            return ERASED;
        });
    }

    /** {@code GET /v1/people/{externalId}}. */
    WebResponse person(WebRequest request, ApiKey caller) {
        String externalId = request.pathParameter("externalId");
        Optional<User> user = jdbi.withHandle(handle -> externalIds.userOf(handle, externalId)).flatMap(users::find);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("external_id", externalId);
        body.put("linked", user.isPresent());
        body.put("language", user.map(u -> catalog.resolve(u.languagePreference())).orElse(null));
        body.put("time_zone", user.map(u -> u.timeZone().orElse(defaultZone).getId()).orElse(null));
        body.put("role", user.map(u -> u.role().code()).orElse(null));
        body.put("blocked", user.map(User::blocked).orElse(null));
        return WebResponse.jsonOf(200, body);
    }
}
