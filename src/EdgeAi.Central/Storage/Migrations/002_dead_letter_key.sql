-- The delivery key of a dead letter: Central's inbound spool may replay messages after a crash; each is stored once.
ALTER TABLE dead_letters ADD COLUMN message_key TEXT NULL;
CREATE UNIQUE INDEX dead_letters_message_key ON dead_letters (message_key);
