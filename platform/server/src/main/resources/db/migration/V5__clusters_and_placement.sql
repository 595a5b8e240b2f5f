-- The compute registry: region -> site (IDC) -> cluster -> partition.
create table cluster (
    name          varchar(63)   primary key,
    region        varchar(63)   not null,
    site          varchar(63)   not null,
    backend       varchar(16)   not null,
    -- backend settings as JSON (Kubernetes API server, namespace, image; slurmrestd URL, user, key file)
    settings      varchar(8000) not null,
    enabled       boolean       not null,
    healthy       boolean       not null,
    health_reason varchar(2000),
    checked_at    timestamp with time zone,
    failures      integer       not null default 0,
    created_at    timestamp with time zone not null,
    updated_at    timestamp with time zone not null,
    row_version   bigint        not null default 0
);

create table compute_partition (
    name                  varchar(63)   primary key,
    cluster_name          varchar(63)   not null references cluster (name),
    cores_per_node        integer       not null,
    memory_mb_per_node    bigint        not null,
    accelerator_kind      varchar(8),
    accelerator_model     varchar(63),
    accelerators_per_node integer       not null default 0,
    node_count            integer       not null,
    ownership             varchar(16)   not null,
    labels                varchar(4000) not null,
    -- backend mapping as JSON (node selector, tolerations, extended resource; Slurm partition, GRES type)
    mapping               varchar(8000) not null,
    enabled               boolean       not null,
    created_at            timestamp with time zone not null,
    updated_at            timestamp with time zone not null,
    row_version           bigint        not null default 0
);
create index compute_partition_cluster on compute_partition (cluster_name);

-- Where each run was placed, why, and its job on the backend.
alter table run add column partition_name varchar(63) not null default 'local';
alter table run add column cluster_name varchar(63) not null default 'local';
alter table run add column pinned boolean not null default false;
alter table run add column accelerator_kind varchar(8);
alter table run add column accelerator_model varchar(63);
alter table run add column accelerator_count integer not null default 0;
alter table run add column job_ref varchar(255);
alter table run add column placement varchar(20000);
create index run_cluster_state on run (cluster_name, state);
