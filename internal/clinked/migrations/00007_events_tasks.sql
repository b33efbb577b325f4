-- +goose Up
-- Group events. series_end is when the last occurrence ends: end_date for
-- a single event, date_end_recurrence (or "never") for a series, so that
-- a window query is one indexed range test.
CREATE TABLE clinked_events (
    ns                  TEXT    NOT NULL,
    id                  BIGINT  NOT NULL,
    group_id            BIGINT  NOT NULL,
    account_id          BIGINT  NOT NULL,
    context_key         BIGINT  NOT NULL,
    name                TEXT    NOT NULL,
    friendly_name       TEXT    NOT NULL,
    sharing             TEXT    NOT NULL,
    member_permission   BIGINT  NOT NULL,
    tags                TEXT    NOT NULL,
    description         TEXT    NOT NULL,
    author_id           BIGINT  NOT NULL,
    trashed             BOOLEAN NOT NULL,
    date_created        BIGINT  NOT NULL,
    last_modified       BIGINT  NOT NULL,
    start_date          BIGINT  NOT NULL,
    end_date            BIGINT  NOT NULL,
    series_end          BIGINT  NOT NULL,
    all_day             BOOLEAN NOT NULL,
    location            TEXT,
    date_reminder       BIGINT,
    recurrence          TEXT,
    date_end_recurrence BIGINT,
    disable_maybe       BOOLEAN NOT NULL,
    color               TEXT,
    PRIMARY KEY (ns, id)
);
-- A slug is unique among a group's live events; a trashed one frees it.
CREATE UNIQUE INDEX clinked_events_name ON clinked_events (ns, group_id, name) WHERE trashed = FALSE;
CREATE INDEX clinked_events_group ON clinked_events (ns, group_id, trashed, start_date, id);
CREATE INDEX clinked_events_account ON clinked_events (ns, account_id, start_date, series_end);

CREATE TABLE clinked_tasks (
    ns                  TEXT    NOT NULL,
    id                  BIGINT  NOT NULL,
    group_id            BIGINT  NOT NULL,
    account_id          BIGINT  NOT NULL,
    context_key         BIGINT  NOT NULL,
    name                TEXT    NOT NULL,
    friendly_name       TEXT    NOT NULL,
    sharing             TEXT    NOT NULL,
    member_permission   BIGINT  NOT NULL,
    tags                TEXT    NOT NULL,
    description         TEXT    NOT NULL,
    author_id           BIGINT  NOT NULL,
    trashed             BOOLEAN NOT NULL,
    date_created        BIGINT  NOT NULL,
    last_modified       BIGINT  NOT NULL,
    parent_id           BIGINT,
    status              TEXT    NOT NULL,
    priority            TEXT    NOT NULL,
    progress            BIGINT  NOT NULL,
    due_date            BIGINT,
    date_reminder       BIGINT,
    recurrence          TEXT,
    sort_order          BIGINT  NOT NULL,
    category            TEXT,
    date_completed      BIGINT,
    tracking_start_date BIGINT,
    time_tracked        BIGINT  NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX clinked_tasks_name ON clinked_tasks (ns, group_id, name) WHERE trashed = FALSE;
CREATE INDEX clinked_tasks_group ON clinked_tasks (ns, group_id, trashed, sort_order, id);
CREATE INDEX clinked_tasks_account ON clinked_tasks (ns, account_id, trashed, sort_order, id);
CREATE INDEX clinked_tasks_parent ON clinked_tasks (ns, parent_id);

CREATE TABLE clinked_task_assignees (
    ns      TEXT   NOT NULL,
    task_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    PRIMARY KEY (ns, task_id, user_id)
);
CREATE INDEX clinked_task_assignees_user ON clinked_task_assignees (ns, user_id, task_id);

-- +goose Down
DROP TABLE clinked_task_assignees;
DROP TABLE clinked_tasks;
DROP TABLE clinked_events;
