-- Which token KCI_ADMIN_TOKEN made: when the setting changes, the token of the old value is
-- expired at start-up, so that rotating the setting revokes the value it replaces.
ALTER TABLE token ADD COLUMN from_setting boolean NOT NULL DEFAULT false;
-- Before this column, the setting's token was the one with this fixed email and username.
UPDATE token SET from_setting = true WHERE email = 'admin@localhost' AND username = 'admin';
