-- mud-service schema (DESIGN.md §2: each service owns its schema).

-- Every accepted version of every model's MUD file: the bytes as uploaded (they are what is signed and
-- served) and the detached CMS signature over them. Versions are never changed or removed.
create table mud_file (
    manufacturer         text not null,
    hw_model             text not null,
    version              integer not null,
    content              bytea not null,
    signature            bytea not null,
    etag                 text not null,
    mud_url              text not null,
    signature_url        text not null,
    last_update          timestamptz not null,
    last_update_text     text not null,
    cache_validity_hours integer not null check (cache_validity_hours between 1 and 168),
    stored_at            timestamptz not null,
    stored_by            text not null,
    primary key (manufacturer, hw_model, version)
);

-- The effective policy of each device as last published on simanchor.mud-policies; digest identifies the
-- derived policy, so deriving the same one again (here or in another instance) changes nothing.
create table effective_policy (
    device_id   text primary key,
    version     bigint not null,
    digest      text not null,
    policy      text not null,
    updated_at  timestamptz not null
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

create function mud_file_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'mud_file versions are never changed';
end;
$$;
create trigger mud_file_append_only before update or delete on mud_file
    for each row execute function mud_file_is_append_only();
