-- The union's service centres and help stations: where a member goes for
-- rights advice, hardship aid, jobs, training and counselling. Coordinates
-- in degrees × 10⁶ like merchants', for the same nearest-first search.
CREATE TABLE service_centres (
    id {{ID}},
    union_id BIGINT NOT NULL REFERENCES unions(id),
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    district TEXT NOT NULL,
    address TEXT NOT NULL,
    lat_e6 BIGINT NOT NULL,
    lng_e6 BIGINT NOT NULL,
    hours TEXT NOT NULL,
    phone TEXT NOT NULL,
    services TEXT NOT NULL,
    -- When it closed (kept for the record; members no longer see it).
    closed_at BIGINT,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX service_centres_place ON service_centres(lat_e6, lng_e6);
CREATE INDEX service_centres_union ON service_centres(union_id);
