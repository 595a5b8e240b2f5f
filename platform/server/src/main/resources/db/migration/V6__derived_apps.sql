-- Derived apps: the base apps a plugin builds on (Plugin-Dependencies), and the base jars a run pinned.
alter table plugin add column depends_on varchar(1000);
alter table run add column dependency_jars varchar(4000);
