-- Challenges are stateless now (a MAC-protected challenge id, see the Challenges class): issuing one
-- writes nothing, and only a used challenge leaves a row, until it has expired.
--
-- The old table "challenge" stays for now: during a rolling upgrade, instances still on the previous
-- version keep issuing and consuming their challenges in it. A later migration drops it, once no
-- instance of the previous version can be running.
create table used_challenge (
    serial      bytea primary key,
    expires_at  timestamptz not null
);
create index used_challenge_expiry on used_challenge (expires_at);
