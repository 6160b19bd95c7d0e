-- Open311: history events by time, for the `servicerequestupdates` feed (a window of time across all appeals),
-- and the media URLs a client sent with a request — references for staff, never fetched, never shown publicly.

CREATE INDEX appeal_event_by_time ON appeal_event (city_id, happened_at, appeal_id, event_no);

CREATE TABLE appeal_media_url (
    city_id BIGINT NOT NULL,
    appeal_id BIGINT NOT NULL,
    url_no BIGINT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (city_id, appeal_id, url_no),
    FOREIGN KEY (city_id, appeal_id) REFERENCES appeal (city_id, appeal_id)
);
