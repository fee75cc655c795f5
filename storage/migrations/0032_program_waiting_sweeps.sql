-- The hourly checks of programs read only the programs due for a look, as the idle sweep does
-- with pairs.sweep_at (0023). sweep_at: when the completion sweep (overdue programs, the
-- midpoint survey) next looks at a program; final_at: when the meetings sweep next looks
-- whether its final meeting is planned. A program confirmed or changed, or its school's
-- midpoint changed, sets them to that moment; each sweep sets its own to the next moment its
-- answer can change by the clock alone (NULL: never).
ALTER TABLE programs ADD COLUMN sweep_at TEXT;
ALTER TABLE programs ADD COLUMN final_at TEXT;
UPDATE programs SET sweep_at = COALESCE(confirmed_at, updated_at), final_at = COALESCE(confirmed_at, updated_at)
    WHERE status = 'confirmed';
CREATE INDEX programs_sweep ON programs (sweep_at);
CREATE INDEX programs_final ON programs (final_at);

-- The daily reminder about mentees waiting for a mentor: when it next looks at a school
-- (the moment its earliest waiting mentee reaches the threshold, or the next day once it
-- reminded). Whatever can make a mentee wait sooner (a questionnaire submitted, a consent,
-- a role granted, an invitation declined, a pair ended) leaves a time on its row: the
-- reminder finds the schools touched since its last run through these indexes.
ALTER TABLE organizations ADD COLUMN waiting_at TEXT;
UPDATE organizations SET waiting_at = created_at;
CREATE INDEX organizations_waiting ON organizations (waiting_at);
CREATE INDEX form_sessions_submitted ON form_sessions (submitted_at);
CREATE INDEX consents_decided ON consents (decided_at);
CREATE INDEX role_grants_granted ON role_grants (granted_at);
CREATE INDEX pair_participants_decided ON pair_participants (decided_at);
CREATE INDEX pairs_ended ON pairs (ended_at);

-- The survey summaries at the deadline and the launches to finish: every program stage is a
-- campaign of its own, so the hourly look reads only the rows owed something.
CREATE INDEX survey_campaigns_due ON survey_campaigns (deadline) WHERE summary_sent = 0;
CREATE INDEX survey_campaigns_launching ON survey_campaigns (id) WHERE launch_step IS NOT NULL;
