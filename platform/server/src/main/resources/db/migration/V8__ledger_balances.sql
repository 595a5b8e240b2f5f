-- Each ledger account's balance, kept by every posting, so that available funds are read in one
-- row instead of summing an account's whole history at every launch.
create table ledger_balance (
    account varchar(128)   primary key,
    balance numeric(19, 6) not null
);
insert into ledger_balance (account, balance)
    select account, sum(amount) from ledger_entry group by account;
