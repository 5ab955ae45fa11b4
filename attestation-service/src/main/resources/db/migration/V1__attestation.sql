-- attestation-service schema (DESIGN.md §2: each service owns its schema).

-- Nonces whose evidence was accepted: the random part of each, until the nonce expires. Issuing a nonce
-- writes nothing (the nonce carries its own MAC); this table makes it single-use across all instances.
create table consumed_nonce (
    nonce_id    bytea primary key,
    expires_at  timestamptz not null
);
create index consumed_nonce_expiry on consumed_nonce (expires_at);

-- Expected measurements per (hardware model, software version), provisioned by a policy administrator.
create table reference_values (
    hw_model      text not null,
    sw_version    text not null,
    measurements  text not null,
    updated_at    timestamptz not null,
    updated_by    text not null,
    primary key (hw_model, sw_version)
);

-- Appraisal policies per hardware model; models without one use the default policy (policies/default.json).
create table appraisal_policy (
    hw_model    text primary key,
    policy      text not null,
    updated_at  timestamptz not null,
    updated_by  text not null
);

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
