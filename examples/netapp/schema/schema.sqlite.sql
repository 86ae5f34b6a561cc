-- The example's own table, beside the core's: maintenance windows announced for a subscription. It is managed
-- with `netapp db revision --autogenerate`: edit this file (and schema.postgres.sql), generate, review, commit.
CREATE TABLE maintenance_windows (
    id INTEGER PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES subscriptions (subscription_id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    note TEXT,
    CHECK (ends_at > starts_at)
);
CREATE INDEX maintenance_windows_subscription_id ON maintenance_windows (subscription_id);
