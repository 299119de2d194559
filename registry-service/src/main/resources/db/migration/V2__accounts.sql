-- Who may call the services. Passwords only as bcrypt hashes; platform API keys only as SHA-256
-- hashes (a key is 256 random bits, so a fast hash is enough and lets a key be looked up).
create table account (
    username      text primary key,
    password_hash text not null,
    role          text not null check (role in ('PLATFORM', 'MAKER', 'FINANCE', 'ADMIN')),
    maker_id      text references maker (id),
    platform_id   text references platform (id),
    created_at    timestamptz not null,
    check ((role = 'MAKER') = (maker_id is not null)),
    check ((role = 'PLATFORM') = (platform_id is not null))
);

create table api_key (
    id          text primary key,
    platform_id text not null references platform (id),
    key_hash    text not null unique,
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
create index api_key_platform_idx on api_key (platform_id);
