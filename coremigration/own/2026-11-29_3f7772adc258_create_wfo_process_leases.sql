-- Create wfo_process_leases.
--
-- Revision ID: 3f7772adc258
-- Revises: 5c2e8a91d4f0
-- Create Date: 2026-11-29 12:30:00.000000
--
-- The engines' leases on the processes they run: one row per running process, naming the engine that claimed it
-- (owner), the claim (token) and when the claim ends unless the engine renews it (expires_at, on the database's
-- clock). A process whose lease has expired has lost its engine (killed, or cut off from the database); any other
-- engine sets it back to resumed and continues it from its last committed step, and the dead run can commit
-- nothing more, since every step commits only while its token still holds the lease.
-- wfo's own table, keyed by process id without a foreign key: the reference's tables are not altered, and a process
-- deleted by any tool leaves at most a row that the next rescue removes. It holds a row per running process only,
-- so the rescue's scan needs no index on expires_at, and without one a renewal rewrites the row in place.
--
-- wfo:revision 3f7772adc258
-- wfo:down_revision 5c2e8a91d4f0
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
CREATE TABLE wfo_process_leases (
    pid         uuid                     NOT NULL,
    token       uuid                     NOT NULL,
    owner       varchar(255)             NOT NULL,
    acquired_at timestamp with time zone NOT NULL,
    expires_at  timestamp with time zone NOT NULL,
    CONSTRAINT wfo_process_leases_pkey PRIMARY KEY (pid)
);

-- wfo:upgrade sqlite
-- Times are text in the one form of the core's SQLite timestamps, which sorts as time.
CREATE TABLE wfo_process_leases (
    pid         TEXT         NOT NULL PRIMARY KEY,
    token       TEXT         NOT NULL,
    owner       VARCHAR(255) NOT NULL,
    acquired_at TEXT         NOT NULL,
    expires_at  TEXT         NOT NULL
);

-- wfo:downgrade
DROP TABLE wfo_process_leases;
