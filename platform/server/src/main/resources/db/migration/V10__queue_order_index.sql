-- The waiting runs in queue order (priority, then age), with what placement reads of each, so that
-- the dispatcher's window and the placement snapshot's queue totals and forecast heads are read
-- from the index alone, without sorting, however long the queue. It serves every lookup by state
-- that the two indexes it replaces served.
drop index run_state_partition;
drop index run_state;
create index run_queue on run (state, partition_name, priority desc, created_at, id, cores,
  wall_time_seconds, predicted_run_seconds);
-- The runs started lately, whose waits placement averages per partition, without a scan of every run.
create index run_scheduled on run (scheduled_at);
