-- Campaign banners on 首页: a union's title, the screen a tap opens, and
-- the days it shows. Members see their union's and those above it.
CREATE TABLE campaigns (
    id {{ID}},
    union_id BIGINT NOT NULL REFERENCES unions(id),
    title TEXT NOT NULL,
    title_en TEXT NOT NULL,
    link TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

-- 首页 asks for the live ones in their dates.
CREATE INDEX campaigns_live ON campaigns (status, ends_on);
CREATE INDEX campaigns_union ON campaigns (union_id);
