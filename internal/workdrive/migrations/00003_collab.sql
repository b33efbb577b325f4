-- +goose Up
-- WorkDrive collaboration: tasks and their assignees, group chats
-- (conversations) with their members, and messages. Meetings are events
-- (B's table) that carry their conversation's id. Ids are UUID strings;
-- times are Unix millis.

CREATE TABLE workdrive_tasks (
    ns                       TEXT NOT NULL,
    id                       TEXT NOT NULL,
    org_id                   TEXT NOT NULL,
    title                    TEXT NOT NULL,
    description              TEXT NOT NULL DEFAULT '',
    content                  TEXT NOT NULL DEFAULT '',
    status                   TEXT NOT NULL,          -- draft | publish
    task_type                TEXT NOT NULL DEFAULT '', -- Article | Video | QuizLink | Document | TrainingCourse
    link                     TEXT NOT NULL DEFAULT '',
    video_id                 TEXT NOT NULL DEFAULT '',
    document_id              TEXT NOT NULL DEFAULT '',
    course_id                TEXT NOT NULL DEFAULT '', -- trainingCourseTaskListId
    notification_template_id TEXT NOT NULL DEFAULT '',
    due_days                 BIGINT NOT NULL DEFAULT 0,
    est_time                 BIGINT NOT NULL DEFAULT 0, -- the doc's "time"
    created_by               TEXT NOT NULL,
    updated_by               TEXT NOT NULL,
    created_at               BIGINT NOT NULL,
    updated_at               BIGINT NOT NULL,
    seq                      BIGINT NOT NULL,  -- creation order within a millisecond
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_tasks_order ON workdrive_tasks (ns, org_id, created_at, seq);
CREATE INDEX workdrive_tasks_creator ON workdrive_tasks (ns, created_by, created_at);

CREATE TABLE workdrive_task_assignees (
    ns          TEXT NOT NULL,
    task_id     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (ns, task_id, user_id)
);
CREATE INDEX workdrive_task_assignees_user ON workdrive_task_assignees (ns, user_id);

-- A group chat. Its id is the conversationId of messages and meetings;
-- group_id is a separate UUID, as the API shows both.
CREATE TABLE workdrive_conversations (
    ns          TEXT NOT NULL,
    id          TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    group_id    TEXT NOT NULL,
    type        TEXT NOT NULL,   -- CHAT_GROUP | ROOM
    title       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '', -- a category name (module GROUP_CHAT)
    color       TEXT NOT NULL DEFAULT '',
    is_private  BOOLEAN NOT NULL DEFAULT FALSE,
    by_request  BOOLEAN NOT NULL DEFAULT FALSE,
    file_id     TEXT,            -- cover image, a workdrive_files id
    created_by  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    seq         BIGINT NOT NULL,  -- creation order within a millisecond
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_conversations_order ON workdrive_conversations (ns, org_id, created_at, seq);

CREATE TABLE workdrive_conversation_members (
    ns              TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    is_admin        BOOLEAN NOT NULL DEFAULT FALSE,
    joined_at       BIGINT NOT NULL,
    PRIMARY KEY (ns, conversation_id, user_id)
);
CREATE INDEX workdrive_conversation_members_user ON workdrive_conversation_members (ns, user_id);

CREATE TABLE workdrive_messages (
    ns              TEXT NOT NULL,
    id              TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    sender_id       TEXT NOT NULL,
    message         TEXT NOT NULL DEFAULT '',
    reply_of_msg_id TEXT,
    mention         TEXT NOT NULL DEFAULT '[]', -- JSON array of user ids
    file_ids        TEXT NOT NULL DEFAULT '[]', -- JSON array of workdrive_files ids
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    seq             BIGINT NOT NULL,  -- sending order within a millisecond
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_messages_order ON workdrive_messages (ns, conversation_id, created_at, seq);
CREATE INDEX workdrive_messages_reply ON workdrive_messages (ns, reply_of_msg_id);

-- The upload and the download find a file by its S3-style key.
CREATE INDEX workdrive_files_key ON workdrive_files (ns, blob_key);

-- +goose Down
DROP INDEX workdrive_files_key;
DROP TABLE workdrive_messages;
DROP TABLE workdrive_conversation_members;
DROP TABLE workdrive_conversations;
DROP TABLE workdrive_task_assignees;
DROP TABLE workdrive_tasks;
