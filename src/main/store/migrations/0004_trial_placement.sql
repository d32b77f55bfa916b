-- 0004_trial_placement: where an executor other than this machine runs a trial (a Slurm job: its name, id,
-- queue state, Slurm's pending reason, the node), as JSON written by the store; NULL for local trials. The UI
-- shows a trial waiting in Slurm's queue as pending, and the runner finds its jobs again after a crash.
ALTER TABLE trials ADD COLUMN placement TEXT;
