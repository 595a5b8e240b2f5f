-- One launch's writes, as Parasol makes them: the run, a HOLD ledger transaction with its two
-- entries, and the two kept balances (funds taken with a conditional update). :stripe picks the
-- funds row: 1 (the org's one balance row, as today) or one of several stripes.
\set stripe random(1, :stripes)
BEGIN;
INSERT INTO ceiling_run (id, org, inputs, state, created_at)
  VALUES (gen_random_uuid(), 'acme', '{"nx":11,"ny":11,"duration":1}', 'QUEUED', now());
INSERT INTO ceiling_txn (kind, cause_type, at) VALUES ('HOLD', 'run', now());
INSERT INTO ceiling_entry (txn, account, amount) VALUES (currval('ceiling_txn_id_seq'), 'org:acme:held', 0.1);
INSERT INTO ceiling_entry (txn, account, amount) VALUES (currval('ceiling_txn_id_seq'), 'org:acme:funds', -0.1);
UPDATE ceiling_balance SET balance = balance - 0.1 WHERE account = 'org:acme:funds' AND stripe = :stripe AND balance >= 0.1;
UPDATE ceiling_balance SET balance = balance + 0.1 WHERE account = 'org:acme:held' AND stripe = :stripe;
END;
