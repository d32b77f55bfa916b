-- 0001_initial: the first schema. Studies and their trials (params, values, intermediate values,
-- logs, the tuner's per-trial data and state blob), the leases and control requests that let several
-- processes share one file, settings, and the datasets studies were run on.
-- JSON columns hold text written by the store; timestamps are ISO-8601 strings (UTC).

CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  spec TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('created', 'running', 'paused', 'finished', 'failed', 'stopped')),
  seed INTEGER NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  running_ms INTEGER NOT NULL DEFAULT 0,
  error TEXT
);

CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'complete', 'pruned', 'failed', 'interrupted')),
  params TEXT NOT NULL,
  value REAL,
  started_at TEXT,
  finished_at TEXT,
  error TEXT,
  backend TEXT,
  user_attrs TEXT NOT NULL DEFAULT '{}',
  tuner_data TEXT NOT NULL DEFAULT 'null',
  agent_snapshot TEXT,
  test_score REAL,
  -- 1 once the tuner has been told the result (its state blob then includes this trial).
  told INTEGER NOT NULL DEFAULT 0,
  UNIQUE (study_id, number)
);
-- Counts per state, the best complete trial, running trials of a study.
CREATE INDEX trials_by_study_state_value ON trials (study_id, state, value);
-- The trial table sorted by value across states.
CREATE INDEX trials_by_study_value ON trials (study_id, value);

-- A repeated step overwrites (a resumed epoch reports again).
CREATE TABLE intermediate_values (
  trial_id INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  step REAL NOT NULL,
  value REAL,
  PRIMARY KEY (trial_id, step)
) WITHOUT ROWID;

-- Per trial and stream: the first and the last chunk of output, sizes in characters.
CREATE TABLE trial_logs (
  trial_id INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')),
  head_chars INTEGER NOT NULL DEFAULT 0,
  tail_chars INTEGER NOT NULL DEFAULT 0,
  dropped_chars INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (trial_id, stream)
) WITHOUT ROWID;

-- Appends are inserts (cheap for a chatty program); the oldest tail chunks are deleted past the cap.
CREATE TABLE trial_log_chunks (
  id INTEGER PRIMARY KEY,
  trial_id INTEGER NOT NULL,
  stream TEXT NOT NULL,
  in_head INTEGER NOT NULL,
  text TEXT NOT NULL,
  FOREIGN KEY (trial_id, stream) REFERENCES trial_logs (trial_id, stream) ON DELETE CASCADE
);
CREATE INDEX trial_log_chunks_by_trial ON trial_log_chunks (trial_id, stream, id);

CREATE TABLE tuner_states (
  study_id INTEGER PRIMARY KEY REFERENCES studies (id) ON DELETE CASCADE,
  state BLOB NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE study_leases (
  study_id INTEGER PRIMARY KEY REFERENCES studies (id) ON DELETE CASCADE,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);

CREATE TABLE control_requests (
  id INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  action TEXT NOT NULL CHECK (action IN ('pause', 'stop', 'resume')),
  requested_at TEXT NOT NULL,
  requested_by TEXT NOT NULL
);
CREATE INDEX control_requests_by_study ON control_requests (study_id, id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('tabular', 'images')),
  path TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  shape TEXT NOT NULL,
  class_counts TEXT NOT NULL,
  class_mapping TEXT,
  created_at TEXT NOT NULL
);

-- hash_at_link: the content hash when the study was linked, so a changed file can be flagged.
CREATE TABLE study_datasets (
  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('train', 'validation', 'test')),
  hash_at_link TEXT NOT NULL,
  PRIMARY KEY (study_id, role)
);
CREATE INDEX study_datasets_by_dataset ON study_datasets (dataset_id);
