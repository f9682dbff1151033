-- The search index behind the directory's and the courses' `q` (issue 16):
-- each search text split into its characters and its pairs of neighbouring
-- characters ("grams"), each gram listing the rows whose text holds it
-- (`store::search`). A `LIKE '%word%'` alone reads every row when few or
-- none match, and FTS5's trigram tokenizer and pg_trgm need three
-- characters where most Chinese words have one or two (店, 超市). The key is
-- all these tables hold: on SQLite it is their only B-tree. They are derived
-- from `search_text` and rewritten with it, so they carry no foreign key
-- (on PostgreSQL a key's check per gram slows the demo's millions of them).
CREATE TABLE merchant_grams (
    gram TEXT NOT NULL,
    merchant_id BIGINT NOT NULL,
    PRIMARY KEY (gram, merchant_id)
){{WITHOUT_ROWID}};

CREATE TABLE course_grams (
    gram TEXT NOT NULL,
    course_id BIGINT NOT NULL,
    PRIMARY KEY (gram, course_id)
){{WITHOUT_ROWID}};

-- The rows already there, split as `store::search::index_all` splits them
-- (the same statement; `substr` and `length` count characters on both
-- engines): every character and every pair, except those with a space.
WITH RECURSIVE n(i) AS (
    SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT MAX(length(search_text)) FROM merchants)
), split(gram, id) AS (
    SELECT substr(t.search_text, n.i, 1), t.id FROM merchants t JOIN n ON n.i <= length(t.search_text)
    UNION ALL
    SELECT substr(t.search_text, n.i, 2), t.id FROM merchants t JOIN n ON n.i < length(t.search_text)
)
INSERT INTO merchant_grams (gram, merchant_id)
SELECT DISTINCT gram, id FROM split WHERE gram NOT LIKE '% %' ORDER BY gram, id;

WITH RECURSIVE n(i) AS (
    SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT MAX(length(search_text)) FROM courses)
), split(gram, id) AS (
    SELECT substr(t.search_text, n.i, 1), t.id FROM courses t JOIN n ON n.i <= length(t.search_text)
    UNION ALL
    SELECT substr(t.search_text, n.i, 2), t.id FROM courses t JOIN n ON n.i < length(t.search_text)
)
INSERT INTO course_grams (gram, course_id)
SELECT DISTINCT gram, id FROM split WHERE gram NOT LIKE '% %' ORDER BY gram, id;

-- Nearest first narrows by a box of latitude and longitude: both in one
-- index, so the box is read from the index alone (the latitude index read
-- a whole band of the city and every row in it: 31 ms over 100,000); and
-- within a category, which SQLite would otherwise read whole by its
-- category index.
CREATE INDEX merchants_place ON merchants(lat_e6, lng_e6);
CREATE INDEX merchants_category_place ON merchants(category, lat_e6, lng_e6);
DROP INDEX merchants_lat;
