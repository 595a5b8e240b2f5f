-- PostgreSQL only (quarkus.flyway.locations adds db/postgresql in the postgres profile): the runs
-- not yet ended, counted by state and partition with their work, kept up to date by the database
-- itself, so that the placement snapshot and the platform gauges read a few rows instead of
-- counting a queue of any length (ADR 0013, third amendment). H2 (embedded, short queues) counts.
--
-- Every statement that inserts, updates or deletes runs appends what it changed to
-- run_tally_change (appends take no lock that another launch group waits for); a reader folds the
-- changes into run_tally (in state and partition order, so that two folding replicas never
-- deadlock) and reads it.
create table run_tally (
    state          varchar(20)      not null,
    partition_name varchar(63)      not null,
    runs           bigint           not null,
    -- core-seconds of the runs without a predicted run time (at their wall-time limit)
    wall_work      double precision not null,
    -- core-seconds of the runs with one, at the speed of a reference core
    predicted_work double precision not null,
    primary key (state, partition_name)
);

create table run_tally_change (
    id             bigserial        primary key,
    state          varchar(20)      not null,
    partition_name varchar(63)      not null,
    runs           bigint           not null,
    wall_work      double precision not null,
    predicted_work double precision not null
);

insert into run_tally (state, partition_name, runs, wall_work, predicted_work)
select state, partition_name, count(*),
       coalesce(sum(case when predicted_run_seconds is null then cores::float8 * wall_time_seconds else 0 end), 0),
       coalesce(sum(case when predicted_run_seconds is null then 0 else cores * predicted_run_seconds end), 0)
from run where state in ('QUEUED', 'SCHEDULED', 'RUNNING') group by state, partition_name;

create function run_tally_inserted() returns trigger language plpgsql as $$
begin
  insert into run_tally_change (state, partition_name, runs, wall_work, predicted_work)
  select state, partition_name, count(*),
         coalesce(sum(case when predicted_run_seconds is null then cores::float8 * wall_time_seconds else 0 end), 0),
         coalesce(sum(case when predicted_run_seconds is null then 0 else cores * predicted_run_seconds end), 0)
  from new_runs where state in ('QUEUED', 'SCHEDULED', 'RUNNING') group by state, partition_name;
  return null;
end $$;

create function run_tally_updated() returns trigger language plpgsql as $$
begin
  insert into run_tally_change (state, partition_name, runs, wall_work, predicted_work)
  select state, partition_name, sum(runs), sum(wall_work), sum(predicted_work) from (
    select state, partition_name, 1 as runs,
           case when predicted_run_seconds is null then cores::float8 * wall_time_seconds else 0 end as wall_work,
           case when predicted_run_seconds is null then 0 else cores * predicted_run_seconds end as predicted_work
    from new_runs where state in ('QUEUED', 'SCHEDULED', 'RUNNING')
    union all
    select state, partition_name, -1,
           case when predicted_run_seconds is null then -cores::float8 * wall_time_seconds else 0 end,
           case when predicted_run_seconds is null then 0 else -cores * predicted_run_seconds end
    from old_runs where state in ('QUEUED', 'SCHEDULED', 'RUNNING')) changed
  group by state, partition_name
  having sum(runs) <> 0 or sum(wall_work) <> 0 or sum(predicted_work) <> 0;
  return null;
end $$;

create function run_tally_deleted() returns trigger language plpgsql as $$
begin
  insert into run_tally_change (state, partition_name, runs, wall_work, predicted_work)
  select state, partition_name, -count(*),
         -coalesce(sum(case when predicted_run_seconds is null then cores::float8 * wall_time_seconds else 0 end), 0),
         -coalesce(sum(case when predicted_run_seconds is null then 0 else cores * predicted_run_seconds end), 0)
  from old_runs where state in ('QUEUED', 'SCHEDULED', 'RUNNING') group by state, partition_name;
  return null;
end $$;

create trigger run_tally_insert after insert on run
  referencing new table as new_runs for each statement execute function run_tally_inserted();
create trigger run_tally_update after update on run
  referencing old table as old_runs new table as new_runs for each statement execute function run_tally_updated();
create trigger run_tally_delete after delete on run
  referencing old table as old_runs for each statement execute function run_tally_deleted();
