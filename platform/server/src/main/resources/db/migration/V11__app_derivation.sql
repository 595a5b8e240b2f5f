-- Who may build derived apps on an app (ADR 0009, amended): its own vendor always; other vendors
-- only when the owner allows them, by name or all.
alter table app_owner add column derivation varchar(16) default 'NONE' not null;
alter table app_owner add column derivation_vendors varchar(2000);
