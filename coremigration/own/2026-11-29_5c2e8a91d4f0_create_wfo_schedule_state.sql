-- Create wfo_schedule_state.
--
-- Revision ID: 5c2e8a91d4f0
-- Revises: 
-- Create Date: 2026-11-29 10:00:00.000000
--
-- The scheduler's plan: per schedule, the rule it was planned with, when it runs next, and how its last run went.
-- version grows with every change; writers name the version they read, so of two schedulers only the first wins.
-- wfo's own table: orchestrator-core keeps its schedules in apscheduler_jobs (pickled Python) instead. Earlier
-- wfo builds created the table when the scheduler first ran; such a table is kept as it is.
--
-- wfo:revision 5c2e8a91d4f0
-- wfo:down_revision
-- wfo:branch_labels wfo
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
CREATE TABLE IF NOT EXISTS wfo_schedule_state (
    name             varchar(255)             NOT NULL,
    rule             text                     NOT NULL,
    next_run_at      timestamp with time zone NOT NULL,
    version          bigint                   NOT NULL,
    last_started_at  timestamp with time zone,
    last_finished_at timestamp with time zone,
    last_status      varchar(32),
    last_error       text,
    last_owner       text,
    CONSTRAINT wfo_schedule_state_pkey PRIMARY KEY (name)
);

-- wfo:upgrade sqlite
-- Times are RFC 3339 text in UTC with microseconds, which sorts and reads back exactly.
CREATE TABLE IF NOT EXISTS wfo_schedule_state (
    name             VARCHAR(255) NOT NULL PRIMARY KEY,
    rule             TEXT         NOT NULL,
    next_run_at      TEXT         NOT NULL,
    version          INTEGER      NOT NULL,
    last_started_at  TEXT,
    last_finished_at TEXT,
    last_status      VARCHAR(32),
    last_error       TEXT,
    last_owner       TEXT
);

-- wfo:downgrade
DROP TABLE wfo_schedule_state;
