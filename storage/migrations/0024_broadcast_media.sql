-- Broadcasts (issue 15): a photo or document with the text as its caption, link buttons, a
-- time chosen in advance, an audience with a parameter, the sender's live progress message,
-- cancelling, and sending again to those who did not receive a broadcast.

-- 'photo' or 'document' (bot.core.outbox.Media), sent by its Telegram file_id; NULL: text.
ALTER TABLE broadcasts ADD COLUMN media TEXT;
ALTER TABLE broadcasts ADD COLUMN file_id TEXT;
-- JSON list of [text, url] link buttons under the announcement.
ALTER TABLE broadcasts ADD COLUMN buttons TEXT NOT NULL DEFAULT '[]';
-- The time it was asked to go at (NULL: at once); the outbox rows are due then.
ALTER TABLE broadcasts ADD COLUMN due_at TEXT;
-- The audience's parameter: the survey of «не ответившие на опрос».
ALTER TABLE broadcasts ADD COLUMN audience_ref INTEGER;
-- «Отправить не получившим»: the broadcast this one sends again (one resend per broadcast).
ALTER TABLE broadcasts ADD COLUMN resend_of INTEGER REFERENCES broadcasts (id);
-- The sender's progress message, edited in place through the outbox: the last text queued
-- (an edit goes out only when the text changed), how many edits, and when the last one.
ALTER TABLE broadcasts ADD COLUMN progress_chat_id INTEGER;
ALTER TABLE broadcasts ADD COLUMN progress_message_id INTEGER;
ALTER TABLE broadcasts ADD COLUMN progress_text TEXT;
ALTER TABLE broadcasts ADD COLUMN progress_edits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN progress_at TEXT;
-- Set once nothing is pending any more and the final report was queued.
ALTER TABLE broadcasts ADD COLUMN finished_at TEXT;
ALTER TABLE broadcasts ADD COLUMN cancelled_at TEXT;
CREATE INDEX broadcasts_running ON broadcasts (finished_at, progress_message_id);
