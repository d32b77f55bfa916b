-- 0003_objectives_constraints: several objectives and constraints per trial (study-file.md:
-- `objectives`, `constraints`). `value` stays the first objective's value, so every reader of a
-- single-objective study sees it exactly as before; these columns stay NULL for such trials.

-- Every objective's value, a JSON array in the study file's order (several objectives only).
ALTER TABLE trials ADD COLUMN objective_values TEXT;
-- The constrained values the trial reported, a JSON object name → value (studies with constraints).
ALTER TABLE trials ADD COLUMN constraint_values TEXT;
-- 1 when every constraint holds, 0 when one does not; NULL without constraints or values.
ALTER TABLE trials ADD COLUMN feasible INTEGER CHECK (feasible IN (0, 1));
