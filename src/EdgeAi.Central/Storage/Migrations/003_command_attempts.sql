-- How many times a verification command was sent; an unanswered one is resent after verification.reply_timeout_s.
ALTER TABLE commands ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
CREATE INDEX ix_commands_waiting ON commands (sent_at) WHERE result IS NULL;
