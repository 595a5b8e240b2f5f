-- Placement v2: partition speed, org placement policy (regions, quotas, priority), what placement
-- predicted for each run, and the server replicas that share the queue.
alter table compute_partition add column speed double precision not null default 1.0;

create table org_policy (
    org           varchar(63)  primary key,
    -- regions the org's runs may be placed in, comma-separated; null: any
    regions       varchar(2000),
    -- the region the org's workspace data is held in; null: the server's data region
    data_region   varchar(63),
    -- concurrent cores / accelerator cards the org may hold; null: no limit
    max_cores     integer,
    max_cards     integer,
    max_priority  varchar(8)   not null default 'normal',
    updated_at    timestamp with time zone not null,
    updated_by    varchar(255) not null,
    row_version   bigint       not null default 0
);

alter table run add column priority integer not null default 0;
alter table run add column objective varchar(16) not null default 'balanced';
alter table run add column predicted_run_seconds double precision;
alter table run add column input_bytes bigint not null default 0;
-- the app inputs' hash: runs of the same problem, for run-time history
alter table run add column problem_key varchar(64);
-- the replica that submitted the current attempt, and when a waiting run is looked at again
alter table run add column dispatcher varchar(64);
alter table run add column next_check_at timestamp with time zone;
create index run_state_partition on run (state, partition_name, created_at);
create index run_app_history on run (app_id, state, finished_at);

create table server_replica (
    id           varchar(64)  primary key,
    host         varchar(255) not null,
    started_at   timestamp with time zone not null,
    heartbeat_at timestamp with time zone not null
);
