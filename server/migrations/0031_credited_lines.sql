-- The officers' figures count the union money credited in a period
-- (hardship and relief, 金秋助学, model workers' allowances) three times a
-- look. Without an index on when a line was credited, each count read
-- every payment line ever written; a province's 送温暖 alone credits
-- hundreds of thousands of cards a festival. Now each reads its period's.
CREATE INDEX payment_lines_credited ON payment_lines(credited_at) WHERE status = 'credited';
