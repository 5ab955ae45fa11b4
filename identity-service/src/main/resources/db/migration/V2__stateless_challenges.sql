-- Challenges are stateless now (a MAC-protected challenge id, see the Challenges class): issuing one
-- writes nothing, and only a used challenge leaves a row, until it has expired. Pending challenges of
-- the old kind are dropped; they lived 60 s by default and devices simply ask for a new one.
drop table challenge;

create table used_challenge (
    serial      bytea primary key,
    expires_at  timestamptz not null
);
create index used_challenge_expiry on used_challenge (expires_at);
