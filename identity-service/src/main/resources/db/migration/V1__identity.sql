-- identity-service schema (DESIGN.md §2: each service owns its schema).

create table tenant (
    id          text primary key,
    created_at  timestamptz not null default now()
);
insert into tenant (id) values ('default');

-- SIM vendors' endorsement keys (P-256 SubjectPublicKeyInfo), per tenant.
create table vendor_key (
    tenant_id   text not null references tenant (id),
    key_id      text not null,
    spki        bytea not null,
    created_at  timestamptz not null default now(),
    primary key (tenant_id, key_id)
);

-- Expected devices. ICCIDs are globally unique (ITU-T E.118), so a challenge request names only the ICCID.
create table registration (
    id            bigint generated always as identity primary key,
    tenant_id     text not null references tenant (id),
    iccid         text not null unique,
    imei          text not null,
    hw_model      text not null,
    manufacturer  text not null,
    sim_spki      bytea,
    device_id     text unique,
    created_at    timestamptz not null default now()
);

create table device (
    id                     text primary key,
    tenant_id              text not null references tenant (id),
    registration_id        bigint not null unique references registration (id),
    hw_model               text not null,
    manufacturer           text not null,
    key_spki               bytea not null,
    key_thumbprint         text not null unique,
    certificate_serial     text not null,
    certificate_not_after  timestamptz not null,
    mud_url                text not null,
    state                  text not null check (state in ('ACTIVE', 'SUSPENDED', 'REVOKED')),
    enrolled_at            timestamptz not null,
    updated_at             timestamptz not null
);
create index device_tenant_state on device (tenant_id, state, id);

-- Every key ever bound to a device, current or retired: a key is never bound twice (GSMA CLP.13 6.1).
create table device_key (
    thumbprint  text primary key,
    device_id   text not null references device (id),
    spki        bytea not null,
    bound_at    timestamptz not null,
    retired_at  timestamptz
);

create table certificate (
    serial          text primary key,
    device_id       text not null references device (id),
    key_thumbprint  text not null references device_key (thumbprint),
    not_after       timestamptz not null,
    der             bytea not null,
    issued_at       timestamptz not null
);

-- Single-use challenges; only the nonce's SHA-256 is kept.
create table challenge (
    id           uuid primary key,
    purpose      text not null check (purpose in ('ENROLLMENT', 'KEY_ROTATION')),
    subject_id   text not null,
    nonce_hash   bytea not null,
    expires_at   timestamptz not null,
    consumed_at  timestamptz
);
create index challenge_expiry on challenge (expires_at);

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
-- Housekeeping removes published rows after a retention period.
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
