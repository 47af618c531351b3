-- Venue names and addresses become localized texts like titles: JSON objects of locale code -> text, "*" for a
-- text written once for every language. Rows written before keep their text as that "*" entry.
UPDATE events SET venue_name = json_object('*', venue_name)
WHERE venue_name IS NOT NULL AND (json_valid(venue_name) = 0 OR json_type(venue_name) <> 'object');
UPDATE events SET venue_address = json_object('*', venue_address)
WHERE venue_address IS NOT NULL AND (json_valid(venue_address) = 0 OR json_type(venue_address) <> 'object');
