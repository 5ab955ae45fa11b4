-- token-service schema (DESIGN.md §2: each service owns its schema).

-- Client assertions that earned a token, until they expire: makes each jti single-use across all
-- instances (RFC 7523 §3 item 7). The key is SHA-256(device id, 0x00, jti).
create table used_assertion (
    assertion_id  bytea primary key,
    expires_at    timestamptz not null
);
create index used_assertion_expiry on used_assertion (expires_at);

-- Access-token signing keys (docs/token-service.md, "Keys"). The private key is PKCS#8, encrypted with
-- AES-256-GCM under the key-encryption key from configuration (a Kubernetes Secret), the kid as AAD.
create table signing_key (
    kid                    text primary key,
    state                  text not null check (state in ('NEXT', 'CURRENT', 'RETIRED')),
    public_key             bytea not null,
    private_key_encrypted  bytea not null,
    created_at             timestamptz not null,
    activated_at           timestamptz,
    unpublish_at           timestamptz
);
create unique index signing_key_one_current on signing_key (state) where state = 'CURRENT';

-- Transactional outbox: written in the transaction of the change, published to Kafka by the relay.
create table outbox (
    id            bigint generated always as identity primary key,
    event_id      uuid not null unique,
    topic         text not null,
    record_key    text not null,
    event_type    text not null,
    payload       text not null,
    occurred_at   timestamptz not null,
    published_at  timestamptz
);
create index outbox_unpublished on outbox (id) where published_at is null;
create index outbox_published on outbox (published_at) where published_at is not null;

-- Append-only audit log: rows can be added, never changed or removed.
create table audit_log (
    id         bigint generated always as identity primary key,
    at         timestamptz not null,
    actor      text not null,
    action     text not null,
    tenant_id  text,
    subject    text not null,
    details    text not null
);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
