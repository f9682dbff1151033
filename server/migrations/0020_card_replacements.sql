-- A lost card replaced (补卡): the same card row (so its history, savings
-- and payments stay with the member) under a new number; each replacement
-- keeps the number it retired, who replaced it and when.
CREATE TABLE card_replacements (
    id {{ID}},
    card_id BIGINT NOT NULL REFERENCES cards(id),
    old_card_no TEXT NOT NULL,
    new_card_no TEXT NOT NULL,
    replaced_by BIGINT NOT NULL REFERENCES users(id),
    replaced_at BIGINT NOT NULL
);
CREATE INDEX card_replacements_card ON card_replacements(card_id);
