-- When an appeal's personal data were erased by `sakshy retention run` (NULL: not yet). The appeal itself — category,
-- place, dates, states, agencies, rating — stays for the statistics.

ALTER TABLE appeal ADD COLUMN personal_data_erased_at BIGINT;
