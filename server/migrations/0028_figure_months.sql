-- The figures of each union and China month: the sums of its
-- `figure_days` (issue 16). Five years of a city's figures summed 120,000
-- day rows for its 66 workplaces (every workplace issues cards on most
-- days at a million members); the months a period covers whole now come
-- from here, and only the days at its two ends from `figure_days`.
-- Written with each day row, in the same statement's transaction
-- (`store::figures::add`), and filled here from the days already kept.
CREATE TABLE figure_months (
    union_id BIGINT NOT NULL REFERENCES unions(id),
    month BIGINT NOT NULL,
    issued BIGINT NOT NULL DEFAULT 0,
    activated BIGINT NOT NULL DEFAULT 0,
    cards_moved BIGINT NOT NULL DEFAULT 0,
    active_moved BIGINT NOT NULL DEFAULT 0,
    redemptions BIGINT NOT NULL DEFAULT 0,
    savings_fen BIGINT NOT NULL DEFAULT 0,
    enrolments BIGINT NOT NULL DEFAULT 0,
    claims BIGINT NOT NULL DEFAULT 0,
    claims_fen BIGINT NOT NULL DEFAULT 0,
    signups BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (union_id, month)
);

INSERT INTO figure_months (union_id, month, issued, activated, cards_moved, active_moved, redemptions,
    savings_fen, enrolments, claims, claims_fen, signups)
SELECT union_id, {{MONTH_OF_DAY}}, SUM(issued), SUM(activated), SUM(cards_moved), SUM(active_moved),
    SUM(redemptions), SUM(savings_fen), SUM(enrolments), SUM(claims), SUM(claims_fen), SUM(signups)
  FROM figure_days GROUP BY union_id, {{MONTH_OF_DAY}};
