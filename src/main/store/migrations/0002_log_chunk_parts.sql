-- 0002_log_chunk_parts: a trial log's newest head chunk and oldest and newest tail chunks are found
-- through this index; without in_head in it every append scanned all head chunks of the trial, and a
-- program printing 100,000 lines took minutes to store (issue 14).
CREATE INDEX trial_log_chunks_by_part ON trial_log_chunks (trial_id, stream, in_head, id);
