-- Updates already handled, so that the same update delivered twice (a webhook retry after a
-- timeout, a poll repeated after a restart) is handled once. Update ids count per bot, hence
-- the bot id in the key. Rows older than a day are pruned: Telegram stops redelivering long
-- before that.
CREATE TABLE handled_updates (
    bot_id BIGINT NOT NULL,
    update_id BIGINT NOT NULL,
    handled_at TEXT NOT NULL,
    PRIMARY KEY (bot_id, update_id)
);

CREATE INDEX handled_updates_by_time ON handled_updates (handled_at);
