-- The outbox: notifications written in the same transaction as the event that causes them, delivered later by
-- a worker (e-mail, signed webhooks) with retries, back-off and a dead-letter state. `event_key` (appeal and
-- history event) is the idempotency key receivers see, so at-least-once delivery never doubles an effect.

CREATE TABLE outbox (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    outbox_id BIGINT NOT NULL,
    event_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    destination TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    PRIMARY KEY (city_id, outbox_id)
);
CREATE UNIQUE INDEX outbox_event_destination ON outbox (city_id, event_key, channel, destination);
CREATE INDEX outbox_due ON outbox (city_id, state, next_attempt_at);

-- Systems that want every appeal event: a URL and the secret their signature is made with.
CREATE TABLE webhook_subscription (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    webhook_subscription_id BIGINT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, webhook_subscription_id)
);
CREATE UNIQUE INDEX webhook_subscription_url ON webhook_subscription (city_id, url);
